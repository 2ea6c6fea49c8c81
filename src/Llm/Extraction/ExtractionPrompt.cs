using System.Text.Json;
using System.Text.Json.Nodes;
using GraphRag.Graph;
using GraphRag.Graph.Model;
using GraphRag.Ingest.Extraction;
using Microsoft.Extensions.AI;

namespace GraphRag.Llm.Extraction;

/// <summary>
/// What <c>ingest --llm</c> sends for one chunk: fixed instructions naming the entity types and relation labels the
/// domain allows, the chunk's text (as extraction sees it: personal data neutralised unless the policy is keep) as the
/// only user message, and a JSON schema the reply must follow, whose enums are those types and labels. Nothing else of
/// the document — not its title, metadata, id or other chunks — is sent. Immutable; built once per extractor.
/// </summary>
public sealed class ExtractionPrompt
{
    /// <summary>Bumped whenever the instructions or the reply's shape change in a way their text does not show.</summary>
    public const string TemplateVersion = "extract-1";

    /// <summary>The schema's name, as the structured-output request carries it.</summary>
    public const string SchemaName = "graph_extraction";

    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public ExtractionPrompt(IEnumerable<string> entityTypes, IEnumerable<string> relationLabels)
    {
        ArgumentNullException.ThrowIfNull(entityTypes);
        ArgumentNullException.ThrowIfNull(relationLabels);
        EntityTypes = entityTypes.Distinct(StringComparer.Ordinal).ToList();
        RelationLabels = relationLabels.Distinct(StringComparer.Ordinal).ToList();
        if (EntityTypes.Count == 0 || RelationLabels.Count == 0)
        {
            throw new ArgumentException("An extraction prompt needs at least one entity type and one relation label.");
        }

        Instructions = string.Join(
            "\n",
            "You extract a knowledge graph from one passage: the entities it names and the relations it states between them.",
            "Reply with JSON that follows the schema. Rules:",
            "- Use only what the passage says; no outside knowledge, no guesses.",
            "- Every item carries a quote copied exactly, character for character, from the passage: for an entity the words that name it, "
                + "for a relation the shortest part of the passage that states it. An item whose quote is not in the passage is discarded.",
            "- An entity's name is its fullest name as written in the passage.",
            "- Entity types: " + string.Join(", ", EntityTypes) + ".",
            "- A relation reads: source label target, for example \"The Quiet Fleet\" directed_by \"Tomas Lindqvist\" or \"Mara Voss\" born_in \"Oslo\". "
                + "Source and target are names of entities you list.",
            "- Relation labels: " + string.Join(", ", RelationLabels) + ".",
            "- Leave out anything that fits no type or label.");
        Schema = BuildSchema(EntityTypes, RelationLabels);
        SchemaText = Schema.ToJsonString(Compact);
        Version = TemplateVersion + "/" + StableId.Hash(TemplateVersion, Instructions, SchemaText)[..12];
        ResponseFormat = ChatResponseFormat.ForJsonSchema(
            JsonDocument.Parse(SchemaText).RootElement.Clone(), SchemaName, "Entities and relations stated in the passage, each with a verbatim quote.");
    }

    /// <summary>The entity types a reply may use: the built-in ones and the domain profile's.</summary>
    public IReadOnlyList<string> EntityTypes { get; }

    /// <summary>The relation labels a reply may use: the vocabulary's, without co-occurrence and alias edges.</summary>
    public IReadOnlyList<string> RelationLabels { get; }

    /// <summary>The system message.</summary>
    public string Instructions { get; }

    /// <summary>The reply's JSON schema.</summary>
    public JsonObject Schema { get; }

    /// <summary>The schema as sent (compact JSON): providers count it as prompt tokens.</summary>
    public string SchemaText { get; }

    /// <summary>
    /// The prompt version: the template version and a hash of the instructions and schema (so of the allowed types and
    /// labels). Part of every cache key and of the extractor's version.
    /// </summary>
    public string Version { get; }

    /// <summary>The structured-output format of every request.</summary>
    public ChatResponseFormat ResponseFormat { get; }

    /// <summary>The prompt for one chunk, for an extractor whose profile allows <paramref name="profile"/>'s types and <paramref name="vocabulary"/>'s labels.</summary>
    public static ExtractionPrompt For(DomainProfile? profile, RelationVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        string[] builtIn =
        [
            Graph.Model.EntityTypes.Person, Graph.Model.EntityTypes.Organization, Graph.Model.EntityTypes.Location, Graph.Model.EntityTypes.Work,
            Graph.Model.EntityTypes.Date, Graph.Model.EntityTypes.Quantity, Graph.Model.EntityTypes.Other,
        ];
        var types = builtIn.Concat(profile?.EntityTypes.Select(t => t.Name) ?? []);
        var labels = vocabulary.Labels
            .Where(l => l is not (Graph.Model.RelationLabels.CoOccurs or Graph.Model.RelationLabels.AliasOf))
            .Order(StringComparer.Ordinal);
        return new ExtractionPrompt(types, labels);
    }

    /// <summary>The messages sent for a chunk's text.</summary>
    public IReadOnlyList<ChatMessage> Messages(string chunkText) =>
        [new ChatMessage(ChatRole.System, Instructions), new ChatMessage(ChatRole.User, chunkText)];

    /// <summary>The cache key of a chunk's text under <paramref name="model"/>: everything that decides the reply.</summary>
    public string CacheKey(string model, string chunkText) => StableId.Hash("extraction", Version, model, chunkText);

    private static JsonObject BuildSchema(IReadOnlyList<string> types, IReadOnlyList<string> labels)
    {
        static JsonObject Text() => new() { ["type"] = "string" };
        static JsonObject OneOf(IEnumerable<string> values) => new() { ["type"] = "string", ["enum"] = new JsonArray([.. values.Select(v => (JsonNode?)v)]) };
        static JsonObject Item(JsonObject properties) => new()
        {
            ["type"] = "object",
            ["properties"] = properties,
            ["required"] = new JsonArray([.. properties.Select(p => (JsonNode?)p.Key)]),
            ["additionalProperties"] = false,
        };

        var entity = Item(new JsonObject { ["name"] = Text(), ["type"] = OneOf(types), ["quote"] = Text() });
        var relation = Item(new JsonObject { ["source"] = Text(), ["label"] = OneOf(labels), ["target"] = Text(), ["quote"] = Text() });
        return Item(new JsonObject
        {
            ["entities"] = new JsonObject { ["type"] = "array", ["items"] = entity },
            ["relations"] = new JsonObject { ["type"] = "array", ["items"] = relation },
        });
    }
}
