using GraphRag.Graph.Model;

namespace GraphRag.Ingest.Extraction;

/// <summary>Finds the chunk of a position: the lowest ordinal whose [Start, End) contains it.</summary>
internal sealed class ChunkLocator
{
    private readonly Chunk[] byOrdinal;
    private readonly bool monotonic;

    public ChunkLocator(IReadOnlyList<Chunk> chunks)
    {
        byOrdinal = [.. chunks.OrderBy(c => c.Ordinal)];
        monotonic = true;
        for (var i = 1; i < byOrdinal.Length; i++)
        {
            if (byOrdinal[i].Start < byOrdinal[i - 1].Start)
            {
                monotonic = false;
                break;
            }
        }
    }

    public string Find(int position)
    {
        if (byOrdinal.Length == 0)
        {
            return string.Empty;
        }

        if (!monotonic)
        {
            foreach (var chunk in byOrdinal)
            {
                if (chunk.Start <= position && position < chunk.End)
                {
                    return chunk.Id;
                }
            }

            return byOrdinal[0].Id;
        }

        // Last chunk starting at or before the position, then back to the first that still contains it.
        int lo = 0, hi = byOrdinal.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (byOrdinal[mid].Start <= position)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        if (found < 0)
        {
            return byOrdinal[0].Id;
        }

        var best = byOrdinal[found].End > position ? found : -1;
        for (var i = found - 1; i >= 0 && i >= found - 64; i--)
        {
            if (byOrdinal[i].End > position)
            {
                best = i;
            }
        }

        return byOrdinal[best >= 0 ? best : found].Id;
    }
}
