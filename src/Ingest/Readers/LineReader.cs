using System.Buffers;
using System.Runtime.CompilerServices;

namespace GraphRag.Ingest.Readers;

/// <summary>One line of a file as bytes, without its terminator.</summary>
/// <param name="Number">1-based line number.</param>
/// <param name="Offset">Byte offset of the line's first byte in the file.</param>
internal sealed record ByteLine(byte[] Bytes, long Number, long Offset);

/// <summary>
/// Streams a file line by line as bytes, so record formats never hold a whole file. Lines end at <c>\n</c>; a
/// <c>\r</c> before it is dropped, as is a UTF-8 byte-order mark at the start of the file.
/// </summary>
internal static class LineReader
{
    private const int ChunkSize = 64 * 1024;

    public static async IAsyncEnumerable<ByteLine> ReadLinesAsync(
        Stream stream,
        ReaderOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            var line = new ArrayBufferWriter<byte>();
            long position = 0;
            long lineStart = 0;
            long number = 0;
            int read;
            while ((read = await stream.ReadAsync(chunk.AsMemory(0, ChunkSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                ReaderSupport.EnsureWithinFileLimit(position + read, options);
                var start = 0;
                while (start < read)
                {
                    var newline = chunk.AsSpan(start, read - start).IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        line.Write(chunk.AsSpan(start, read - start));
                        break;
                    }

                    line.Write(chunk.AsSpan(start, newline));
                    yield return Complete(line, ++number, lineStart);
                    start += newline + 1;
                    lineStart = position + start;
                }

                position += read;
            }

            if (line.WrittenCount > 0)
            {
                yield return Complete(line, ++number, lineStart);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static ByteLine Complete(ArrayBufferWriter<byte> line, long number, long offset)
    {
        var bytes = line.WrittenSpan;
        if (number == 1 && bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
            offset += 3;
        }

        if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
        }

        var result = new ByteLine(bytes.ToArray(), number, offset);
        line.ResetWrittenCount();
        return result;
    }
}
