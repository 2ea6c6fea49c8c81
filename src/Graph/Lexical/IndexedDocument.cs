namespace GraphRag.Graph.Lexical;

/// <summary>
/// A document's chunks analysed for the lexical index, outside any lock: each chunk's terms with their positions in
/// the title and text columns (the title is indexed with every chunk, as a passage's subject), and the ACL that decides
/// who may find them. Built by <see cref="Create"/>; immutable.
/// </summary>
public sealed class IndexedDocument
{
    /// <summary>Positions in the title column carry this bit; text positions do not.</summary>
    internal const int TitleColumn = 1 << 30;

    private IndexedDocument(string documentId, string title, string aclKey, IReadOnlyList<string> acl, IndexedChunk[] chunks)
    {
        DocumentId = documentId;
        Title = title;
        AclKey = aclKey;
        Acl = acl;
        Chunks = chunks;
    }

    public string DocumentId { get; }

    public string Title { get; }

    /// <summary>The ACL in a canonical form (sorted, distinct): documents with equal keys share a partition.</summary>
    internal string AclKey { get; }

    internal IReadOnlyList<string> Acl { get; }

    internal IndexedChunk[] Chunks { get; }

    /// <summary>Analyses a document's chunks (id and text each) under its title and ACL.</summary>
    public static IndexedDocument Create(
        string documentId, string title, IReadOnlyList<string> acl, IEnumerable<(string ChunkId, string Text)> chunks)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(acl);
        ArgumentNullException.ThrowIfNull(chunks);
        var canonical = acl.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var titleTerms = Collect(title, TitleColumn, null);
        var titleLength = titleTerms.Values.Sum(p => p.Count);
        var indexed = chunks
            .Select(c => new IndexedChunk(c.ChunkId, Freeze(Collect(c.Text, 0, titleTerms)), titleLength + CountTokens(c.Text)))
            .ToArray();
        return new IndexedDocument(documentId, title, AclKeyOf(canonical), canonical, indexed);
    }

    /// <summary>The partition key of an ACL: its distinct entries, sorted, one per line.</summary>
    internal static string AclKeyOf(IEnumerable<string> acl) =>
        string.Join('\n', acl.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    private static int CountTokens(string text)
    {
        var count = 0;
        TextAnalyzer.Tokenize(text, (_, _) => count++);
        return count;
    }

    private static Dictionary<string, List<int>> Collect(string text, int column, Dictionary<string, List<int>>? seed)
    {
        var terms = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        if (seed is not null)
        {
            foreach (var (term, positions) in seed)
            {
                terms[term] = [.. positions];
            }
        }

        var lookup = terms.GetAlternateLookup<ReadOnlySpan<char>>();
        TextAnalyzer.Tokenize(text, (term, position) =>
        {
            if (!lookup.TryGetValue(term, out var positions))
            {
                positions = [];
                lookup[term] = positions;
            }

            positions.Add(column | position);
        });
        return terms;
    }

    // Text positions (column 0) sort before title positions (column bit set): each term's positions ascend.
    private static (string Term, int[] Positions)[] Freeze(Dictionary<string, List<int>> terms) =>
        terms.Select(p => (p.Key, p.Value.Order().ToArray())).ToArray();
}

/// <summary>One analysed chunk: each distinct term with its ascending positions, and the chunk's length in tokens.</summary>
internal sealed record IndexedChunk(string ChunkId, (string Term, int[] Positions)[] Terms, int Length);
