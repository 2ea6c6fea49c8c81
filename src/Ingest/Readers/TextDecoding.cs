using System.Globalization;
using System.Text;

namespace GraphRag.Ingest.Readers;

/// <summary>
/// How text files (<c>.txt</c>, <c>.md</c>, <c>.csv</c>, <c>.tsv</c>) are decoded, in one place: a byte-order mark
/// decides (UTF-8, UTF-16 or UTF-32, little- or big-endian) and the text must then be valid in that encoding; without
/// one, UTF-8 when the bytes are valid UTF-8, otherwise Windows-1252 (the "ANSI" of Western Windows, a superset of
/// Latin-1), unless a NUL byte shows the file is binary (or UTF-16 without a mark), which is refused.
/// </summary>
public static class TextDecoding
{
    private const int ScanBufferSize = 81_920;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Windows-1252 from the code-page provider the runtime ships; taken directly, so nothing global is registered.</summary>
    public static Encoding Windows1252 { get; } = CodePagesEncodingProvider.Instance.GetEncoding(1252)
        ?? throw new InvalidOperationException("The runtime has no Windows-1252 code page.");

    /// <summary>Decodes a whole file's bytes as the rules above say.</summary>
    /// <exception cref="Graph.InvalidInputException">Invalid for the encoding its byte-order mark names, or binary.</exception>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (ByteOrderMark(bytes) is var (encoding, length))
        {
            if (encoding is UTF8Encoding)
            {
                return ReaderSupport.DecodeUtf8(bytes);
            }

            try
            {
                return Strict(encoding).GetString(bytes[length..]);
            }
            catch (DecoderFallbackException ex)
            {
                throw new Graph.InvalidInputException($"invalid {encoding.WebName.ToUpperInvariant()} after its byte-order mark: {ReaderSupport.OneLine(ex.Message)}", ex);
            }
        }

        if (ReaderSupport.TryDecodeUtf8(bytes, out var text, out _))
        {
            return text;
        }

        EnsureNoNul(bytes, 0);
        return Windows1252.GetString(bytes);
    }

    /// <summary>
    /// <paramref name="file"/>'s text as a stream of UTF-8, for readers that go line by line: the file itself when it is
    /// UTF-8 (read through once to check), otherwise its text transcoded. Takes ownership of the file: disposing the
    /// result closes it. Positioned at the start.
    /// </summary>
    public static async Task<Stream> OpenAsUtf8Async(FileStream file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        try
        {
            var start = new byte[4];
            var read = await file.ReadAtLeastAsync(start, start.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            file.Position = 0;
            if (ByteOrderMark(start.AsSpan(0, read)) is var (encoding, _))
            {
                return encoding is UTF8Encoding ? file : Encoding.CreateTranscodingStream(file, Strict(encoding), Encoding.UTF8, leaveOpen: false);
            }

            var utf8 = await IsUtf8Async(file, cancellationToken).ConfigureAwait(false);
            file.Position = 0;
            return utf8 ? file : Encoding.CreateTranscodingStream(file, Windows1252, Encoding.UTF8, leaveOpen: false);
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Reads the stream to its end: true when every byte is valid UTF-8; a NUL byte in non-UTF-8 text is refused.</summary>
    private static async Task<bool> IsUtf8Async(Stream stream, CancellationToken cancellationToken)
    {
        var decoder = StrictUtf8.GetDecoder();
        var buffer = new byte[ScanBufferSize];
        long offset = 0;
        long firstNul = -1;
        var valid = true;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (firstNul < 0 && buffer.AsSpan(0, read).IndexOf((byte)0) is var nul and >= 0)
            {
                firstNul = offset + nul;
            }

            if (valid)
            {
                try
                {
                    decoder.GetCharCount(buffer, 0, read, flush: false);
                }
                catch (DecoderFallbackException)
                {
                    valid = false;
                }
            }

            offset += read;
        }

        if (valid)
        {
            try
            {
                decoder.GetCharCount([], 0, 0, flush: true);
            }
            catch (DecoderFallbackException)
            {
                valid = false;
            }
        }

        if (!valid && firstNul >= 0)
        {
            throw BinaryContent(firstNul);
        }

        return valid;
    }

    private static void EnsureNoNul(ReadOnlySpan<byte> bytes, long baseOffset)
    {
        if (bytes.IndexOf((byte)0) is var nul and >= 0)
        {
            throw BinaryContent(baseOffset + nul);
        }
    }

    private static Graph.InvalidInputException BinaryContent(long offset) => new(string.Create(
        CultureInfo.InvariantCulture,
        $"not text: neither UTF-8 nor Windows-1252 text has a NUL byte (at byte {offset}); a binary file, or UTF-16 without a byte-order mark"));

    private static (Encoding Encoding, int Length)? ByteOrderMark(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0xEF, 0xBB, 0xBF, ..] => (Encoding.UTF8, 3),
        [0xFF, 0xFE, 0x00, 0x00, ..] => (Encoding.UTF32, 4),
        [0x00, 0x00, 0xFE, 0xFF, ..] => (new UTF32Encoding(bigEndian: true, byteOrderMark: true), 4),
        [0xFF, 0xFE, ..] => (Encoding.Unicode, 2),
        [0xFE, 0xFF, ..] => (Encoding.BigEndianUnicode, 2),
        _ => null,
    };

    /// <summary>The encoding, throwing on bytes it cannot decode rather than replacing them.</summary>
    private static Encoding Strict(Encoding encoding) =>
        Encoding.GetEncoding(encoding.CodePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
}
