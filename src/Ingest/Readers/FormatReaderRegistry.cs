using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace GraphRag.Ingest.Readers;

/// <summary>Finds the reader for a file by its lower-cased extension. Immutable and safe to share.</summary>
public sealed class FormatReaderRegistry
{
    private readonly FrozenDictionary<string, IFormatReader> _byExtension;

    /// <summary>A registry with the built-in readers: text, Markdown, HTML, PDF, Word, CSV/TSV and JSON/JSONL.</summary>
    public FormatReaderRegistry()
        : this(
        [
            new PlainTextReader(),
            new MarkdownReader(),
            new HtmlReader(),
            new PdfReader(),
            new DocxReader(),
            new CsvReader(),
            new JsonReader(),
        ])
    {
    }

    /// <summary>A registry with exactly <paramref name="readers"/>.</summary>
    /// <exception cref="ArgumentException">Two readers claim the same extension.</exception>
    public FormatReaderRegistry(IEnumerable<IFormatReader> readers)
    {
        ArgumentNullException.ThrowIfNull(readers);
        var byExtension = new Dictionary<string, IFormatReader>(StringComparer.Ordinal);
        foreach (var reader in readers)
        {
            ArgumentNullException.ThrowIfNull(reader, nameof(readers));
            foreach (var extension in reader.Extensions)
            {
                var key = extension.ToLowerInvariant();
                if (!byExtension.TryAdd(key, reader))
                {
                    throw new ArgumentException(
                        $"Both {byExtension[key].GetType().Name} and {reader.GetType().Name} read '{key}'.",
                        nameof(readers));
                }
            }
        }

        _byExtension = byExtension.ToFrozenDictionary(StringComparer.Ordinal);
        SupportedExtensions = _byExtension.Keys.Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Lower-case extensions with the dot, sorted.</summary>
    public IReadOnlyCollection<string> SupportedExtensions { get; }

    public bool TryGetReader(string path, [MaybeNullWhen(false)] out IFormatReader reader)
    {
        ArgumentNullException.ThrowIfNull(path);
        return _byExtension.TryGetValue(Path.GetExtension(path).ToLowerInvariant(), out reader);
    }
}
