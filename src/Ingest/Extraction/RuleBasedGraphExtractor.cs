using GraphRag.Graph;
using GraphRag.Graph.Model;

namespace GraphRag.Ingest.Extraction;

/// <summary>
/// Extracts a document graph with rules only — no model, no network: named spans from capitalisation and shape,
/// the document title, quoted titles of works, dates, quantities and acronyms; coarse types from cue words and
/// context; in-document resolution (acronyms, surnames, the title); same-sentence co-occurrence and cue-phrase
/// relations. Built once from its settings, then immutable and safe to share between threads.
/// </summary>
public sealed class RuleBasedGraphExtractor : IGraphExtractor
{
    /// <summary>Bumped whenever a rule changes what is extracted, so stored documents are re-processed.</summary>
    internal const string AlgorithmVersion = "rule-based-3";

    public RuleBasedGraphExtractor()
        : this(new ExtractionOptions(), null)
    {
    }

    public RuleBasedGraphExtractor(ExtractionOptions options, DomainProfile? profile = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        // A private copy: changing the caller's options later cannot change what this extractor (and its Version) does.
        Options = options.Clone();
        Profile = profile;
        Gazetteer = PhraseMatcher.FromProfile(profile);
        // A profile's relations join the vocabulary: their labels' words and cue words are question words for them.
        Vocabulary = profile is null
            ? RelationVocabulary.BuiltIn
            : RelationVocabulary.BuiltIn.With(profile.Relations.Select(r => (
                r.Label,
                r.Label.Split('_').Concat(r.Cues.SelectMany(c => c.Split(' ', StringSplitOptions.RemoveEmptyEntries))))));
        Version = string.Concat(
            AlgorithmVersion,
            "+",
            StableId.Hash(options.Fingerprint(), Lexicon.Fingerprint, profile?.Name ?? string.Empty, profile?.Fingerprint ?? string.Empty)[..16]);
    }

    /// <summary>Loads <see cref="ExtractionOptions.ProfilePath"/> (when set) and builds the extractor.</summary>
    public static async Task<RuleBasedGraphExtractor> CreateAsync(ExtractionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var profile = string.IsNullOrWhiteSpace(options.ProfilePath)
            ? null
            : await DomainProfile.LoadAsync(options.ProfilePath, cancellationToken).ConfigureAwait(false);
        return new RuleBasedGraphExtractor(options, profile);
    }

    public string Version { get; }

    public RelationVocabulary Vocabulary { get; }

    internal ExtractionOptions Options { get; }

    public DomainProfile? Profile { get; }

    internal PhraseMatcher Gazetteer { get; }

    public DocumentGraph Extract(Document document, IReadOnlyList<Chunk> chunks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(chunks);
        if (string.IsNullOrEmpty(document.Text))
        {
            return DocumentGraph.Empty;
        }

        // Passes over one immutable tokenised document, each handing its output to the next.
        var tokenized = TokenizedDocument.Create(document, chunks);
        var candidates = CandidatePass.Run(tokenized, Options, Gazetteer, Profile, cancellationToken);
        var typed = TypingPass.Run(tokenized, candidates);
        var resolved = ResolutionPass.Run(tokenized, typed, Gazetteer);
        cancellationToken.ThrowIfCancellationRequested();
        var relations = RelationPass.Run(tokenized, resolved, Options, Profile);
        return GraphAssembly.Build(tokenized, resolved, relations);
    }
}
