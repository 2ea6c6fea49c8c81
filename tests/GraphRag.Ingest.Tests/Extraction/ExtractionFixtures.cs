using GraphRag.Graph;
using GraphRag.Graph.Model;
using GraphRag.Ingest.Extraction;
using GraphRag.Ingest.Readers;

namespace GraphRag.Ingest.Tests.Extraction;

/// <summary>Builds documents and runs the extractor the way ingestion does, for crafted sentences.</summary>
internal static class ExtractionFixtures
{
    public static readonly RuleBasedGraphExtractor Default = new();

    public static Document Document(string text, string title = "", string id = "doc-1")
    {
        var normalised = TextNormalizer.Normalize(text);
        return new Document
        {
            Id = id,
            Source = id,
            Title = title,
            MediaType = "text/plain",
            Text = normalised,
            ContentHash = StableId.Hash(normalised, title),
        };
    }

    public static IReadOnlyList<Chunk> WholeChunk(Document document) =>
    [
        new Chunk
        {
            Id = document.Id + "#0",
            DocumentId = document.Id,
            Ordinal = 0,
            Text = document.Text,
            Start = 0,
            End = document.Text.Length,
            TokenCount = 0,
        },
    ];

    public static DocumentGraph Extract(string text, string title = "", string id = "doc-1", RuleBasedGraphExtractor? extractor = null)
    {
        var document = Document(text, title, id);
        return (extractor ?? Default).Extract(document, WholeChunk(document));
    }

    public static ExtractedEntity Entity(this DocumentGraph graph, string name) =>
        graph.Entities.SingleOrDefault(e => e.Name == name)
        ?? throw new Xunit.Sdk.XunitException(
            $"No entity named '{name}'. Entities: {string.Join(" | ", graph.Entities.Select(e => $"{e.Name} ({e.Type})"))}");

    /// <summary>The entity whose key is the key of <paramref name="name"/>: "The Prestige" and "Prestige" are one.</summary>
    public static ExtractedEntity EntityByKey(this DocumentGraph graph, string name) =>
        graph.Entities.SingleOrDefault(e => e.Key == EntityKey.Normalize(name))
        ?? throw new Xunit.Sdk.XunitException(
            $"No entity with the key of '{name}'. Entities: {string.Join(" | ", graph.Entities.Select(e => $"{e.Name} ({e.Type})"))}");

    public static IEnumerable<Mention> MentionsOf(this DocumentGraph graph, ExtractedEntity entity) =>
        graph.Mentions.Where(m => m.EntityId == entity.Id);

    public static IEnumerable<string> Names(this DocumentGraph graph) => graph.Entities.Select(e => e.Name);

    public static IEnumerable<Relation> Labelled(this DocumentGraph graph, string label) =>
        graph.Relations.Where(r => r.Label == label);
}

/// <summary>Finds <c>shared/datasets</c> beside an ancestor of the test binaries, as the repository layout puts it.</summary>
internal static class SharedDatasets
{
    public static readonly string? Root = Find();

    public static string? Corpus(string dataset) =>
        Root is null ? null : Path.Combine(Root, dataset, "corpus.jsonl") is var path && File.Exists(path) ? path : null;

    public static string? Questions(string dataset) =>
        Root is null ? null : Path.Combine(Root, dataset, "questions.jsonl") is var path && File.Exists(path) ? path : null;

    private static string? Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "datasets");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>A fact that is skipped, saying why, when the shared datasets are not next to the repository.</summary>
public sealed class DatasetFactAttribute : FactAttribute
{
    public DatasetFactAttribute()
    {
        if (SharedDatasets.Root is null)
        {
            Skip = "shared/datasets was not found beside any ancestor of " + AppContext.BaseDirectory
                + "; these tests need the shared evaluation corpora (musique-100, hotpotqa-100).";
        }
    }
}

/// <summary>Finds files of the source tree (the example profile) from the test binaries.</summary>
internal static class SourceTree
{
    public static string File(string relativePath)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relativePath);
            if (System.IO.File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"'{relativePath}' was not found above {AppContext.BaseDirectory}.");
    }
}
