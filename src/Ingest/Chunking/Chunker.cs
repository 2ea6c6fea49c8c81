using GraphRag.Graph.Text;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using GraphRag.Graph;
using GraphRag.Graph.Model;

namespace GraphRag.Ingest.Chunking;

/// <summary>Chunking settings.</summary>
public sealed class ChunkingOptions
{
    /// <summary>Upper bound on tokens in one chunk.</summary>
    [Range(16, 8192)]
    public int MaxTokens { get; set; } = 256;

    /// <summary>Tokens of trailing whole sentences repeated at the start of the next chunk.</summary>
    [Range(0, 4096)]
    public int OverlapTokens { get; set; } = 32;

    public string Fingerprint => string.Create(CultureInfo.InvariantCulture, $"max={MaxTokens};overlap={OverlapTokens}");
}

/// <summary>
/// Packs whole sentences into chunks of at most <see cref="ChunkingOptions.MaxTokens"/> tokens. A sentence is split
/// only when it alone exceeds the budget, and then at a word boundary. Every chunk's text is exactly
/// <c>document.Text[Start..End]</c>.
/// </summary>
public sealed class Chunker
{
    private readonly ChunkingOptions _options;
    private readonly ITokenCounter _tokens;

    public Chunker(ChunkingOptions options, ITokenCounter tokens)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tokens);
        if (options.OverlapTokens >= options.MaxTokens)
        {
            throw new ArgumentException("Overlap must be smaller than the chunk budget.", nameof(options));
        }

        _options = options;
        _tokens = tokens;
    }

    public string Fingerprint => $"{_options.Fingerprint};tokenizer={_tokens.Name}";

    public IReadOnlyList<Chunk> Chunk(Document document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var text = document.Text;
        var start0 = 0;
        var end0 = text.Length;
        while (start0 < end0 && char.IsWhiteSpace(text[start0]))
        {
            start0++;
        }

        while (end0 > start0 && char.IsWhiteSpace(text[end0 - 1]))
        {
            end0--;
        }

        if (end0 == start0)
        {
            return [];
        }

        // Most passages fit one chunk: a plain count (no token objects) settles those.
        if (end0 - start0 <= _options.MaxTokens * 8)
        {
            var whole = _tokens.CountTokens(text.AsSpan(start0, end0 - start0));
            if (whole <= _options.MaxTokens)
            {
                return [CreateChunk(document, 0, start0, end0, whole)];
            }
        }

        var tokens = new TokenIndex(_tokens.TokenEnds(text));
        var pieces = new List<Piece>();
        foreach (var sentence in SentenceSplitter.Split(text))
        {
            AddPieces(text, tokens, sentence.Start, sentence.End, pieces);
        }

        var chunks = new List<Chunk>();
        var first = 0;
        while (first < pieces.Count)
        {
            // Greedily take whole pieces while the span from the first piece's start to the candidate's end fits.
            var last = first;
            while (last + 1 < pieces.Count && tokens.Count(pieces[first].Start, pieces[last + 1].End) <= _options.MaxTokens)
            {
                last++;
            }

            var start = pieces[first].Start;
            var end = pieces[last].End;
            chunks.Add(CreateChunk(document, chunks.Count, start, end, tokens.Count(start, end)));
            if (last + 1 >= pieces.Count)
            {
                break;
            }

            first = NextFirst(pieces, tokens, first, last);
        }

        return chunks;
    }

    /// <summary>The first piece of the next chunk: as many trailing pieces of this one as fit in the overlap.</summary>
    private int NextFirst(List<Piece> pieces, TokenIndex tokens, int first, int last)
    {
        var next = last + 1;
        while (next - 1 > first && tokens.Count(pieces[next - 1].Start, pieces[last].End) <= _options.OverlapTokens)
        {
            next--;
        }

        return next;
    }

    private void AddPieces(string text, TokenIndex tokens, int start, int end, List<Piece> pieces)
    {
        if (tokens.Count(start, end) <= _options.MaxTokens)
        {
            pieces.Add(new Piece(start, end));
            return;
        }

        // One sentence over budget: cut it at the last word boundary that fits, repeatedly.
        while (start < end)
        {
            var cut = Math.Min(end, Math.Max(start + 1, tokens.EndAfter(start, _options.MaxTokens)));
            if (cut < end)
            {
                var boundary = cut;
                while (boundary > start + 1 && !char.IsWhiteSpace(text[boundary - 1]))
                {
                    boundary--;
                }

                if (boundary > start + 1)
                {
                    cut = boundary;
                }
            }

            var pieceEnd = cut;
            while (pieceEnd > start && char.IsWhiteSpace(text[pieceEnd - 1]))
            {
                pieceEnd--;
            }

            if (pieceEnd > start)
            {
                pieces.Add(new Piece(start, pieceEnd));
            }

            start = cut;
            while (start < end && char.IsWhiteSpace(text[start]))
            {
                start++;
            }
        }
    }

    private static Chunk CreateChunk(Document document, int ordinal, int start, int end, int tokens)
    {
        var text = document.Text[start..end];
        // Page and section regions are separate records; the innermost (last) one containing the start wins.
        var page = document.Regions.LastOrDefault(r => r.Page is not null && r.Start <= start && start < r.End)?.Page;
        var section = document.Regions.LastOrDefault(r => r.Section is not null && r.Start <= start && start < r.End)?.Section;
        return new Chunk
        {
            Id = StableId.Create(
                "chk",
                document.Id,
                ordinal.ToString(CultureInfo.InvariantCulture),
                start.ToString(CultureInfo.InvariantCulture),
                text),
            DocumentId = document.Id,
            Ordinal = ordinal,
            Text = text,
            Start = start,
            End = end,
            TokenCount = tokens,
            Page = page,
            Section = section,
        };
    }

    private readonly record struct Piece(int Start, int End);

    /// <summary>
    /// The document's tokens as sorted end offsets. A span's count is the number of tokens that overlap it; a token
    /// that carries the space before a word (" word") counts for the span that holds the word.
    /// </summary>
    private readonly struct TokenIndex(int[] ends)
    {
        public int Count(int start, int end)
        {
            if (end <= start)
            {
                return 0;
            }

            // First token ending after start, and first token ending at or after end.
            var first = UpperBound(start);
            var last = LowerBound(end);
            return last < ends.Length ? last - first + 1 : ends.Length - first;
        }

        /// <summary>The end offset of the <paramref name="count"/>-th token after <paramref name="start"/>.</summary>
        public int EndAfter(int start, int count)
        {
            var index = UpperBound(start) + count - 1;
            return index < ends.Length ? ends[index] : (ends.Length > 0 ? ends[^1] : start);
        }

        private int UpperBound(int value)
        {
            int lo = 0, hi = ends.Length;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (ends[mid] <= value)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return lo;
        }

        private int LowerBound(int value)
        {
            int lo = 0, hi = ends.Length;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (ends[mid] < value)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return lo;
        }
    }
}
