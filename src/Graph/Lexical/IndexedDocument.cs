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
        var titleTerms = Collect(title, TitleColumn, null, out var titleLength);
        var indexed = chunks
            .Select(c =>
            {
                var terms = Collect(c.Text, 0, titleTerms, out var length);
                return new IndexedChunk(c.ChunkId, Freeze(terms), titleLength + length);
            })
            .ToArray();
        return new IndexedDocument(documentId, title, AclKeyOf(canonical), canonical, indexed);
    }

    /// <summary>The partition key of an ACL: its distinct entries, sorted, one per line.</summary>
    internal static string AclKeyOf(IEnumerable<string> acl) =>
        string.Join('\n', acl.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    /// <summary>The text's terms with their positions, added to a copy of <paramref name="seed"/>; <paramref name="tokens"/> counts the text's tokens.</summary>
    private static Dictionary<string, List<int>> Collect(string text, int column, Dictionary<string, List<int>>? seed, out int tokens)
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
        var count = 0;
        TextAnalyzer.Tokenize(text, (term, position) =>
        {
            count++;
            if (!lookup.TryGetValue(term, out var positions))
            {
                positions = [];
                lookup[term] = positions;
            }

            positions.Add(column | position);
        });
        tokens = count;
        return terms;
    }

    // Text positions (column 0) sort before title positions (column bit set): each term's positions ascend.
    private static (string Term, int[] Positions)[] Freeze(Dictionary<string, List<int>> terms)
    {
        var frozen = new (string Term, int[] Positions)[terms.Count];
        var i = 0;
        foreach (var (term, list) in terms)
        {
            var positions = list.ToArray();
            if (!IsAscending(positions))
            {
                Array.Sort(positions);
            }

            frozen[i++] = (term, positions);
        }

        return frozen;
    }

    private static bool IsAscending(int[] positions)
    {
        for (var i = 1; i < positions.Length; i++)
        {
            if (positions[i] < positions[i - 1])
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>One analysed chunk: each distinct term with its ascending positions, and the chunk's length in tokens.</summary>
internal sealed record IndexedChunk(string ChunkId, (string Term, int[] Positions)[] Terms, int Length);
