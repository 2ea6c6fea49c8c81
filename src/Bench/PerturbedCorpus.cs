using System.Collections.Frozen;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using GraphRag.Graph;
using GraphRag.Graph.Model;
using GraphRag.Graph.Text;
using GraphRag.Ingest.Chunking;
using GraphRag.Ingest.Readers;

namespace GraphRag.Bench;

/// <summary>What <see cref="PerturbedCorpus.WriteAsync"/> wrote.</summary>
/// <param name="Copies">Copies started, counting the original as copy 0; the last one may be partial.</param>
/// <param name="Chunks">Chunks the engine's chunker makes of the written documents.</param>
internal sealed record EnlargedCorpus(string Path, int Passages, int Copies, int Documents, int Chunks, long Characters);

/// <summary>
/// Enlarges a corpus by repetition with perturbation, for the scale benchmark. Copy 0 is the original. Copy k ≥ 1 of a
/// passage has the id <c>{id}~{k}</c>; every capitalised name token of its title and text becomes a variant made of
/// syllables drawn by a <see cref="Random"/> seeded from k and the token, so one name gets one variant throughout a copy
/// (passages that shared an entity still share one, and every copy brings new entity names); then its sentences are
/// shuffled by a <see cref="Random"/> seeded from k and the passage id, and one is dropped or duplicated. The same input
/// always gives the same corpus.
/// </summary>
internal static partial class PerturbedCorpus
{
    /// <summary>64 syllables: two or three of them give about 270,000 variants, so names rarely collide.</summary>
    private static readonly string[] Syllables =
    [
        "ba", "be", "bi", "bo", "da", "de", "di", "do", "ka", "ke", "ki", "ko", "la", "le", "li", "lo",
        "ma", "me", "mi", "mo", "na", "ne", "ni", "no", "ra", "re", "ri", "ro", "sa", "se", "si", "so",
        "ta", "te", "ti", "to", "va", "ve", "vi", "vo", "zan", "dor", "mar", "tel", "lin", "ros", "vik", "bel",
        "gar", "hul", "jen", "kas", "lum", "nor", "pel", "quin", "rud", "sten", "thal", "ulm", "wen", "yor",
    ];

    /// <summary>
    /// Capitalised words that are not names (sentence-initial function words, months, days) or that carry an entity's
    /// type (University, River, Award): varying them would turn prose into names or erase the cues typing relies on.
    /// </summary>
    private static readonly FrozenSet<string> Kept = new[]
    {
        "The", "An", "In", "On", "At", "By", "For", "From", "Of", "To", "With", "As", "And", "But", "Or", "Nor", "If",
        "It", "Its", "This", "That", "These", "Those", "There", "Their", "They", "He", "She", "His", "Her", "Him", "We",
        "Our", "You", "Your", "After", "Before", "During", "When", "While", "Since", "Although", "Though", "However",
        "Then", "Also", "Other", "Some", "Many", "Most", "All", "Both", "Each", "One", "Two", "Three", "First", "Second",
        "Third", "New", "Old", "Saint", "Sir", "Lord", "King", "Queen", "Prince", "Princess", "President", "General",
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
        "University", "College", "Institute", "School", "Academy", "Company", "Corporation", "Group", "Association",
        "Society", "Party", "Church", "Cathedral", "Museum", "Library", "Hospital", "River", "Lake", "Mount", "Mountain",
        "Island", "Islands", "County", "State", "States", "City", "Province", "District", "Republic", "Kingdom",
        "Empire", "Army", "Navy", "Award", "Awards", "Prize", "Cup", "League", "Championship", "Festival", "Journal",
        "Magazine", "Film", "Album", "Band", "Records", "Station", "Airport", "Bridge", "Park", "Street", "Road",
        "North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central", "National",
        "International", "Royal", "United",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>A capitalised word with at least one lower-case letter: names, not acronyms.</summary>
    [GeneratedRegex(@"\b\p{Lu}\p{L}*\p{Ll}\p{L}*\b", RegexOptions.CultureInvariant)]
    private static partial Regex NameToken();

    /// <summary>Copy <paramref name="copy"/> of <paramref name="original"/>; copy 0 is the original itself.</summary>
    public static Document Copy(Document original, int copy)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentOutOfRangeException.ThrowIfNegative(copy);
        if (copy == 0)
        {
            return original;
        }

        var title = VaryNames(original.Title, copy);
        var text = VaryNames(original.Text, copy);
        var random = new Random(Seed(copy, original.Id));
        // A passage's last sentence may lack its full stop; moved to the middle it would run into the next one.
        var sentences = SentenceSplitter.Split(text)
            .Select(s => text[s.Start..s.End])
            .Where(s => s.Length > 0)
            .Select(s => char.IsLetterOrDigit(s[^1]) ? s + "." : s)
            .ToList();
        random.Shuffle(CollectionsMarshal.AsSpan(sentences));
        if (sentences.Count >= 2 && random.Next(2) == 0)
        {
            sentences.RemoveAt(random.Next(sentences.Count));
        }
        else if (sentences.Count >= 1)
        {
            sentences.Insert(random.Next(sentences.Count + 1), sentences[random.Next(sentences.Count)]);
        }

        var perturbed = TextNormalizer.Normalize(string.Join(' ', sentences));
        return original with
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"{original.Id}~{copy}"),
            Title = title,
            Text = perturbed,
            ContentHash = StableId.Hash(perturbed, title),
        };
    }

    /// <summary>
    /// Writes copies 0, 1, 2… of <paramref name="passages"/> to <paramref name="path"/> as <c>{"id","title","text"}</c>
    /// lines until <paramref name="chunker"/> makes at least <paramref name="minimumChunks"/> chunks of what was written.
    /// </summary>
    public static async Task<EnlargedCorpus> WriteAsync(
        IReadOnlyList<Document> passages,
        Chunker chunker,
        int minimumChunks,
        string path,
        int parallelism,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(passages);
        ArgumentNullException.ThrowIfNull(chunker);
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumChunks, 1);
        if (passages.Count == 0)
        {
            throw new InvalidInputException("the corpus to enlarge has no passages");
        }

        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        await using var disposeWriter = writer.ConfigureAwait(false);
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken };
        int copies = 0, documents = 0, chunks = 0;
        long characters = 0;
        for (var copy = 0; chunks < minimumChunks; copy++)
        {
            // Perturbing and chunking (tokenising) dominate; they run in parallel, the file is written in passage order.
            var made = new (Document Document, int Chunks)[passages.Count];
            Parallel.For(0, passages.Count, options, i =>
            {
                var document = Copy(passages[i], copy);
                made[i] = (document, chunker.Chunk(document).Count);
            });

            copies++;
            var before = chunks;
            foreach (var (document, count) in made)
            {
                await writer.WriteLineAsync(JsonSerializer.Serialize(new { id = document.Id, title = document.Title, text = document.Text }).AsMemory(), cancellationToken).ConfigureAwait(false);
                documents++;
                chunks += count;
                characters += document.Text.Length;
                if (chunks >= minimumChunks)
                {
                    break;
                }
            }

            if (chunks == before)
            {
                throw new InvalidInputException("the corpus to enlarge gives no chunks");
            }
        }

        return new EnlargedCorpus(path, passages.Count, copies, documents, chunks, characters);
    }

    private static string VaryNames(string text, int copy) =>
        NameToken().Replace(text, match => Kept.Contains(match.Value) ? match.Value : Variant(match.Value, copy));

    private static string Variant(string token, int copy)
    {
        var random = new Random(Seed(copy, token));
        var builder = new StringBuilder();
        for (var n = 2 + random.Next(2); n > 0; n--)
        {
            builder.Append(Syllables[random.Next(Syllables.Length)]);
        }

        builder[0] = char.ToUpperInvariant(builder[0]);
        return builder.ToString();
    }

    /// <summary>A seed from the copy number and a string, stable across runs and processes (unlike string.GetHashCode).</summary>
    private static int Seed(int copy, string value)
    {
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return unchecked((int)(hash ^ ((uint)copy * 0x9E3779B9u)));
    }
}
