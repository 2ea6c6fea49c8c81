namespace GraphRag.Graph.Model;

/// <summary>Coarse entity types. Domain configuration may add more as free strings; these are the built-in ones.</summary>
public static class EntityTypes
{
    public const string Person = "Person";
    public const string Organization = "Organization";
    public const string Location = "Location";
    public const string Work = "Work";
    public const string Date = "Date";
    public const string Quantity = "Quantity";
    public const string Other = "Other";
}

/// <summary>
/// A resolved entity. Name, type and aliases are derived from its current mentions, so an entity's record is a pure
/// function of the documents that mention it: deleting and re-adding a document gives the identical entity.
/// </summary>
public sealed record Entity
{
    public required string Id { get; init; }

    /// <summary>The normalised key the entity was resolved on (lower case, no punctuation or diacritics).</summary>
    public required string Key { get; init; }

    public required string Name { get; init; }

    public required string Type { get; init; }

    public IReadOnlyList<string> Aliases { get; init; } = [];

    public int MentionCount { get; init; }

    public int DocumentCount { get; init; }
}

/// <summary>One occurrence of an entity in a document, with the exact span it came from.</summary>
public sealed record Mention
{
    public required string Id { get; init; }

    public required string EntityId { get; init; }

    /// <summary>The surface text, equal to the document text at <see cref="Span"/>.</summary>
    public required string Text { get; init; }

    public required TextSpan Span { get; init; }

    /// <summary>The type the extractor assigned to this occurrence.</summary>
    public required string Type { get; init; }

    /// <summary>How this mention was tied to its entity: <c>exact</c>, <c>alias:acronym</c>, <c>alias:surname</c>, …</summary>
    public string Resolution { get; init; } = "exact";

    /// <summary>Which extractor found it: <see cref="Extractors.Rules"/> or a language model (<c>llm:gpt-4o-mini</c>).</summary>
    public string Extractor { get; init; } = Extractors.Rules;
}

/// <summary>
/// Provenance tags: which extractor produced a mention or a piece of relation evidence. Stored with each, so a graph
/// merged from the rule-based extractor and a language model still says who found what.
/// </summary>
public static class Extractors
{
    /// <summary>The rule-based extractor (no model).</summary>
    public const string Rules = "rules";

    /// <summary>What every language-model tag starts with.</summary>
    public const string ModelPrefix = "llm:";

    /// <summary>The tag of a language model: <c>llm:</c> and the model (or Azure deployment) name.</summary>
    public static string Model(string model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        return ModelPrefix + model.Trim();
    }

    /// <summary>True when a language model produced it.</summary>
    public static bool IsModel(string? extractor) => extractor?.StartsWith(ModelPrefix, StringComparison.Ordinal) == true;
}

/// <summary>Well-known relation labels. <see cref="CoOccurs"/> is the weighted same-sentence association.</summary>
public static class RelationLabels
{
    public const string CoOccurs = "co_occurs";
    public const string AliasOf = "alias_of";
}

/// <summary>A directed, labelled edge between two entities, supported by one or more evidence spans.</summary>
public sealed record Relation
{
    public required string Id { get; init; }

    public required string SourceId { get; init; }

    public required string TargetId { get; init; }

    /// <summary>A label from the normalised vocabulary (<c>founded_by</c>, <c>born_in</c>, …) or <c>co_occurs</c>.</summary>
    public required string Label { get; init; }

    /// <summary>Sum of the evidence weights.</summary>
    public double Weight { get; init; }

    public IReadOnlyList<RelationEvidence> Evidence { get; init; } = [];
}

/// <summary>One piece of support for a relation: the span of the sentence (or phrase) that states it.</summary>
/// <param name="Span">The supporting span in the document.</param>
/// <param name="Phrase">The raw text between the two entities, e.g. "was founded in 1892 by".</param>
/// <param name="Weight">This evidence's contribution to the relation weight.</param>
public sealed record RelationEvidence(TextSpan Span, string Phrase, double Weight)
{
    /// <summary>Which extractor found it: <see cref="Extractors.Rules"/> or a language model (<c>llm:gpt-4o-mini</c>).</summary>
    public string Extractor { get; init; } = Extractors.Rules;
}
