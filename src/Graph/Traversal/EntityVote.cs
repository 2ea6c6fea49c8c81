using GraphRag.Graph.Model;

namespace GraphRag.Graph.Traversal;

/// <summary>
/// The one rule that names and types an entity from what its documents say: the name most documents use (then most
/// mentions, then the longest, then ordinal), and the type most documents use other than Other (then most mentions,
/// then ordinal). A store applies it to all documents; a caller's view applies it to the documents the caller may
/// read, so an entity is named as a store of only those documents would name it.
/// </summary>
public static class EntityVote
{
    /// <summary>The winning name among (value, documents, mentions) tallies; null when there are none.</summary>
    public static string? Name(IEnumerable<(string Value, int Documents, int Mentions)> tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        string? best = null;
        (int Documents, int Mentions) bestScore = default;
        foreach (var (value, documents, mentions) in tally)
        {
            if (best is null || Compare(documents, mentions, value, bestScore.Documents, bestScore.Mentions, best, byLength: true) < 0)
            {
                best = value;
                bestScore = (documents, mentions);
            }
        }

        return best;
    }

    /// <summary>The winning type among (value, documents, mentions) tallies; null when there are none.</summary>
    public static string? Type(IEnumerable<(string Value, int Documents, int Mentions)> tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        string? best = null;
        (int Documents, int Mentions) bestScore = default;
        foreach (var (value, documents, mentions) in tally)
        {
            if (best is null
                || (value != EntityTypes.Other && best == EntityTypes.Other)
                || ((value != EntityTypes.Other) == (best != EntityTypes.Other)
                    && Compare(documents, mentions, value, bestScore.Documents, bestScore.Mentions, best, byLength: false) < 0))
            {
                best = value;
                bestScore = (documents, mentions);
            }
        }

        return best;
    }

    /// <summary>Per-document votes summed per value: (value, documents, mentions).</summary>
    public static List<(string Value, int Documents, int Mentions)> Tally(IEnumerable<(string Value, int Mentions)> votes)
    {
        ArgumentNullException.ThrowIfNull(votes);
        var tally = new Dictionary<string, (int Documents, int Mentions)>(StringComparer.Ordinal);
        foreach (var (value, mentions) in votes)
        {
            var (documents, total) = tally.GetValueOrDefault(value);
            tally[value] = (documents + 1, total + mentions);
        }

        return tally.Select(p => (p.Key, p.Value.Documents, p.Value.Mentions)).ToList();
    }

    /// <summary>Negative when the first candidate wins.</summary>
    private static int Compare(int documents, int mentions, string value, int otherDocuments, int otherMentions, string other, bool byLength)
    {
        var c = otherDocuments.CompareTo(documents);
        if (c == 0)
        {
            c = otherMentions.CompareTo(mentions);
        }

        if (c == 0 && byLength)
        {
            c = other.Length.CompareTo(value.Length);
        }

        return c != 0 ? c : string.CompareOrdinal(value, other);
    }
}
