using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace GraphRag.Ingest.Extraction;

/// <summary>Settings of <see cref="RuleBasedGraphExtractor"/>. Every setting is part of the extractor's version.</summary>
public sealed class ExtractionOptions
{
    /// <summary>Upper bound on co-occurrence pairs taken from one sentence; the closest pairs are kept.</summary>
    [Range(0, 10_000)]
    public int MaxCoOccurrencePairsPerSentence { get; set; } = 40;

    /// <summary>
    /// Multiplier for co-occurrence edges that touch a date or quantity. They are kept because "when" and "how many"
    /// questions need them, but they are shared by unrelated documents (every "1998" is one entity), so they weigh
    /// less than edges between named entities. 0 drops them.
    /// </summary>
    [Range(0.0, 1.0)]
    public double DateQuantityCoOccurrenceWeight { get; set; } = 0.5;

    /// <summary>Emit the weighted same-sentence <c>co_occurs</c> relations.</summary>
    public bool CoOccurrence { get; set; } = true;

    /// <summary>Emit labelled relations from cue phrases ("was founded by", "born in").</summary>
    public bool PatternRelations { get; set; } = true;

    /// <summary>Make the document title an entity when it can be anchored in the text.</summary>
    public bool TitleEntities { get; set; } = true;

    /// <summary>
    /// Resolve a sentence-initial "He", "She", "It" or "The film" to the document's subject (the title entity, or the
    /// last person named): it becomes the subject of the sentence's first cue and co-occurs with its mentions.
    /// </summary>
    public bool PronounSubjects { get; set; } = true;

    /// <summary>Longest name, in word tokens, taken from capitalisation.</summary>
    [Range(1, 64)]
    public int MaxNameTokens { get; set; } = 10;

    /// <summary>Longest text, in tokens, between two mentions that a relation cue may span.</summary>
    [Range(1, 64)]
    public int MaxRelationPhraseTokens { get; set; } = 16;

    /// <summary>Optional path of a <see cref="DomainProfile"/> JSON file, loaded by <see cref="RuleBasedGraphExtractor.CreateAsync"/>.</summary>
    public string? ProfilePath { get; set; }

    /// <summary>Throws <see cref="ValidationException"/> when a setting is out of range.</summary>
    public void Validate() => Validator.ValidateObject(this, new ValidationContext(this), validateAllProperties: true);

    internal ExtractionOptions Clone() => (ExtractionOptions)MemberwiseClone();

    internal string Fingerprint() => string.Join(
        ';',
        MaxCoOccurrencePairsPerSentence.ToString(CultureInfo.InvariantCulture),
        DateQuantityCoOccurrenceWeight.ToString("R", CultureInfo.InvariantCulture),
        CoOccurrence ? "co" : "-",
        PatternRelations ? "pat" : "-",
        TitleEntities ? "title" : "-",
        PronounSubjects ? "pron" : "-",
        MaxNameTokens.ToString(CultureInfo.InvariantCulture),
        MaxRelationPhraseTokens.ToString(CultureInfo.InvariantCulture));
}
