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
        var pieces = new List<Piece>();
        foreach (var sentence in SentenceSplitter.Split(text))
        {
            AddPieces(text, sentence.Start, sentence.End, pieces);
        }

        var chunks = new List<Chunk>();
        var first = 0;
        while (first < pieces.Count)
        {
            // Greedily take pieces while the span from the first piece's start to the candidate's end fits.
            var last = first;
            var tokens = pieces[first].Tokens;
            while (last + 1 < pieces.Count)
            {
                var candidate = tokens + pieces[last + 1].Tokens + 1;
                if (candidate > _options.MaxTokens)
                {
                    break;
                }

                last++;
                tokens = candidate;
            }

            var start = pieces[first].Start;
            var end = pieces[last].End;
            var exact = _tokens.CountTokens(text.AsSpan(start, end - start));
            while (exact > _options.MaxTokens && last > first)
            {
                // Separators can cost more than the estimate allowed; drop pieces until the real count fits.
                last--;
                end = pieces[last].End;
                exact = _tokens.CountTokens(text.AsSpan(start, end - start));
            }

            chunks.Add(CreateChunk(document, chunks.Count, start, end, exact));
            if (last + 1 >= pieces.Count)
            {
                break;
            }

            first = NextFirst(pieces, first, last);
        }

        return chunks;
    }

    /// <summary>The first piece of the next chunk: as many trailing pieces of this one as fit in the overlap.</summary>
    private int NextFirst(List<Piece> pieces, int first, int last)
    {
        var next = last + 1;
        var overlap = 0;
        while (next - 1 > first && overlap + pieces[next - 1].Tokens <= _options.OverlapTokens)
        {
            overlap += pieces[next - 1].Tokens;
            next--;
        }

        return next;
    }

    private void AddPieces(string text, int start, int end, List<Piece> pieces)
    {
        var count = _tokens.CountTokens(text.AsSpan(start, end - start));
        if (count <= _options.MaxTokens)
        {
            pieces.Add(new Piece(start, end, count));
            return;
        }

        // One sentence over budget: cut it at the last word boundary that fits, repeatedly.
        while (start < end)
        {
            var length = _tokens.GetPrefixLength(text.AsSpan(start, end - start), _options.MaxTokens);
            var cut = start + Math.Max(1, length);
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
                pieces.Add(new Piece(start, pieceEnd, _tokens.CountTokens(text.AsSpan(start, pieceEnd - start))));
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

    private readonly record struct Piece(int Start, int End, int Tokens);
}
