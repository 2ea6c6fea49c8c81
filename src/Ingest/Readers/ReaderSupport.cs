using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using GraphRag.Graph;
using GraphRag.Graph.Model;

namespace GraphRag.Ingest.Readers;

/// <summary>Checks and conversions every reader shares, so limits and messages read the same for every format.</summary>
internal static class ReaderSupport
{
    private const int CopyBufferSize = 81_920;

    /// <summary>Opens <paramref name="file"/> for reading after checking its size against <see cref="ReaderOptions.MaxFileBytes"/>.</summary>
    public static FileStream OpenChecked(SourceFile file, ReaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(options);
        FileStream stream;
        try
        {
            stream = new FileStream(file.FullPath, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                BufferSize = 0,
            });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"cannot open the file: {ex.Message}", ex);
        }

        try
        {
            EnsureWithinFileLimit(stream.Length, options);
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads the whole file, bounded by <see cref="ReaderOptions.MaxFileBytes"/> even if it grows while read.</summary>
    public static async Task<byte[]> ReadAllBytesAsync(SourceFile file, ReaderOptions options, CancellationToken cancellationToken)
    {
        var stream = OpenChecked(file, options);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                var content = new MemoryStream(checked((int)Math.Min(stream.Length, int.MaxValue)));
                var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
                try
                {
                    int read;
                    while ((read = await stream.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        EnsureWithinFileLimit(content.Length + read, options);
                        content.Write(buffer, 0, read);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                return content.Length == content.Capacity ? content.GetBuffer() : content.ToArray();
            }
            catch (IOException ex)
            {
                throw new InvalidInputException($"cannot read the file: {ex.Message}", ex);
            }
        }
    }

    public static void EnsureWithinFileLimit(long length, ReaderOptions options)
    {
        if (length > options.MaxFileBytes)
        {
            throw new InvalidInputException(string.Create(
                CultureInfo.InvariantCulture,
                $"file is {length} bytes, over the limit of {options.MaxFileBytes} (MaxFileBytes)"));
        }
    }

    /// <summary>Decodes strict UTF-8, dropping a leading byte-order mark.</summary>
    /// <exception cref="InvalidInputException">The bytes are not UTF-8; the message names the offset of the first bad byte.</exception>
    public static string DecodeUtf8(ReadOnlySpan<byte> bytes, long baseOffset = 0)
    {
        var skip = bytes.StartsWith("\uFEFF"u8) ? 3 : 0;
        return TryDecodeUtf8(bytes[skip..], out var text, out var badByte)
            ? text
            : throw new InvalidInputException(InvalidUtf8Message(baseOffset + skip + badByte));
    }

    /// <summary>Decodes strict UTF-8 without throwing; <paramref name="badByte"/> is the offset of the first bad byte.</summary>
    public static bool TryDecodeUtf8(ReadOnlySpan<byte> bytes, out string text, out int badByte)
    {
        var chars = ArrayPool<char>.Shared.Rent(Math.Max(bytes.Length, 1));
        try
        {
            var status = Utf8.ToUtf16(bytes, chars, out var bytesRead, out var charsWritten, replaceInvalidSequences: false);
            if (status == OperationStatus.Done)
            {
                text = new string(chars, 0, charsWritten);
                badByte = -1;
                return true;
            }

            // NeedMoreData means the input ends inside a multi-byte sequence: invalid here as well.
            text = string.Empty;
            badByte = bytesRead;
            return false;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    public static string InvalidUtf8Message(long offset) =>
        string.Create(CultureInfo.InvariantCulture, $"invalid UTF-8 at byte {offset}");

    /// <summary>A first line longer than this is a paragraph, not a title.</summary>
    public const int MaxTitleLength = 120;

    /// <summary>The first non-blank line of <paramref name="text"/> when it is short enough to be a title; otherwise null.</summary>
    public static string? FirstLineTitle(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            var trimmed = line.Trim();
            if (trimmed.Length > 0)
            {
                return trimmed.Length <= MaxTitleLength ? trimmed.ToString() : null;
            }
        }

        return null;
    }

    /// <summary>
    /// A title that names nothing: what authoring tools write when nobody set one ("Untitled", "Untitled document",
    /// "Document1"). Readers treat it as missing.
    /// </summary>
    public static bool IsPlaceholderTitle(string? title)
    {
        var cleaned = CleanTitle(title)?.ToLowerInvariant();
        if (cleaned is null || cleaned.StartsWith("untitled", StringComparison.Ordinal) || cleaned is "title" or "no title" or "new document")
        {
            return true;
        }

        // "Document", "Document1", "Document 12": a word processor's name for a new file.
        return cleaned.StartsWith("document", StringComparison.Ordinal) && !cleaned.AsSpan("document".Length).Trim().ContainsAnyExceptInRange('0', '9');
    }

    /// <summary>The fallback title: the file name without its extension.</summary>
    public static string FileTitle(SourceFile file)
    {
        var name = Path.GetFileNameWithoutExtension(file.RelativePath);
        return string.IsNullOrWhiteSpace(name) ? file.RelativePath : name;
    }

    /// <summary>A title on one line with runs of blank space collapsed, or null when nothing is left.</summary>
    public static string? CleanTitle(string? title)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            return null;
        }

        var cleaned = CollapseWhitespace(TextNormalizer.Normalize(title));
        return cleaned.Length == 0 ? null : cleaned;
    }

    /// <summary>An exception message from a parser, on one line and not too long, for an error reason.</summary>
    public static string OneLine(string message)
    {
        var line = CollapseWhitespace(message);
        return line.Length <= 200 ? line : string.Concat(line.AsSpan(0, 200), "…");
    }

    /// <summary>Runs of white space (newlines included) become one space; the ends are trimmed.</summary>
    public static string CollapseWhitespace(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>Normalises <paramref name="rawText"/> and checks it is neither empty nor over the character limit.</summary>
    public static string NormalizeChecked(string rawText, ReaderOptions options)
    {
        var text = TextNormalizer.Normalize(rawText);
        EnsureText(text, options);
        return text;
    }

    /// <summary>Checks already normalised text is neither empty nor over <see cref="ReaderOptions.MaxDocumentCharacters"/>.</summary>
    public static void EnsureText(string text, ReaderOptions options)
    {
        if (text.Length == 0)
        {
            throw new InvalidInputException("no text");
        }

        if (text.Length > options.MaxDocumentCharacters)
        {
            throw new InvalidInputException(TooLongMessage(text.Length, options));
        }
    }

    public static string TooLongMessage(long length, ReaderOptions options) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"text is {length} characters, over the limit of {options.MaxDocumentCharacters} (MaxDocumentCharacters)");

    /// <summary>A single-document file's document: id and source are the relative path.</summary>
    public static ParsedDocument SingleDocument(
        SourceFile file,
        string mediaType,
        string? title,
        string text,
        IReadOnlyList<DocumentRegion>? regions = null,
        IReadOnlyDictionary<string, string>? metadata = null) => new()
        {
            Id = file.RelativePath,
            Source = file.RelativePath,
            Title = CleanTitle(title) ?? FileTitle(file),
            MediaType = mediaType,
            Text = text,
            Regions = regions ?? [],
            Metadata = metadata ?? new Dictionary<string, string>(StringComparer.Ordinal),
        };

    /// <summary>Adds a metadata value when it has any text, on one line.</summary>
    public static void AddMetadata(Dictionary<string, string> metadata, string key, string? value)
    {
        var cleaned = CleanTitle(value);
        if (cleaned is not null)
        {
            metadata[key] = cleaned;
        }
    }
}
