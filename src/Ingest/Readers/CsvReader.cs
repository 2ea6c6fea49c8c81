using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using GraphRag.Graph;

namespace GraphRag.Ingest.Readers;

/// <summary>
/// Delimited records (<c>.csv</c> with <see cref="ReaderOptions.CsvDelimiter"/>, <c>.tsv</c> with tabs) per RFC 4180:
/// quoted fields, doubled quotes, newlines inside quotes. The first row names the columns; every later row is a
/// document mapped by <see cref="ReaderOptions"/>. A malformed row fails alone and the file goes on; a row whose
/// quote never closes fails and the lines it swallowed are read again as rows of their own.
/// </summary>
public sealed class CsvReader : IFormatReader
{
    public const string MediaType = "text/csv";

    public const string TsvMediaType = "text/tab-separated-values";

    public IReadOnlyCollection<string> Extensions { get; } = [".csv", ".tsv"];

    public async IAsyncEnumerable<ReadItem> ReadAsync(
        SourceFile file,
        ReaderOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var tsv = string.Equals(Path.GetExtension(file.RelativePath), ".tsv", StringComparison.OrdinalIgnoreCase);
        var delimiter = tsv ? '\t' : options.CsvDelimiter;
        var mapper = new RecordMapper(file, options, tsv ? TsvMediaType : MediaType);
        // Lines are read as UTF-8: a file in UTF-16 or Windows-1252 is transcoded on the way (TextDecoding).
        var stream = await TextDecoding.OpenAsUtf8Async(ReaderSupport.OpenChecked(file, options), cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var lines = LineReader.ReadLinesAsync(stream, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (lines.ConfigureAwait(false))
            {
                var source = new LineSource(lines);
                var parser = new RecordParser(source, delimiter, options.MaxDocumentCharacters);
                var header = await parser.ReadAsync().ConfigureAwait(false)
                    ?? throw new InvalidInputException("no header row");
                if (header.Error is not null)
                {
                    throw new InvalidInputException($"malformed header row: {header.Error}");
                }

                var columns = ColumnNames(header.Fields);
                while (await parser.ReadAsync().ConfigureAwait(false) is { } record)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var number = mapper.NextRecord();
                    var locator = string.Create(CultureInfo.InvariantCulture, $"{file.RelativePath}:{record.Line}");
                    if (record.Error is not null)
                    {
                        yield return ReadItem.Failed(locator, record.Error);
                    }
                    else if (record.Fields.Count != columns.Count)
                    {
                        yield return ReadItem.Failed(locator, string.Create(
                            CultureInfo.InvariantCulture,
                            $"expected {columns.Count} fields, found {record.Fields.Count}"));
                    }
                    else
                    {
                        var fields = new RecordField[columns.Count];
                        for (var i = 0; i < fields.Length; i++)
                        {
                            fields[i] = new RecordField(columns[i], record.Fields[i]);
                        }

                        yield return mapper.Map(fields, number, locator);
                    }
                }
            }
        }
    }

    /// <summary>Trimmed header names; blank ones become <c>columnN</c> and repeats get a <c>_2</c>, <c>_3</c> suffix.</summary>
    private static List<string> ColumnNames(IReadOnlyList<string> header)
    {
        var names = new List<string>(header.Count);
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim();
            if (name.Length == 0)
            {
                name = string.Create(CultureInfo.InvariantCulture, $"column{i + 1}");
            }

            var unique = name;
            for (var n = 2; !used.Add(unique); n++)
            {
                unique = string.Create(CultureInfo.InvariantCulture, $"{name}_{n}");
            }

            names.Add(unique);
        }

        return names;
    }

    private sealed record CsvLine(string Text, long Number);

    /// <summary>A parsed row: fields, or the reason it is malformed; <see cref="Line"/> is where it starts.</summary>
    private sealed record CsvRecord(IReadOnlyList<string> Fields, long Line, string? Error);

    /// <summary>Decoded lines with push-back, so lines swallowed by an unclosed quote can be read again.</summary>
    private sealed class LineSource(IAsyncEnumerator<ByteLine> lines)
    {
        private readonly Stack<CsvLine> _replay = new();

        public async ValueTask<CsvLine?> NextAsync()
        {
            if (_replay.TryPop(out var replayed))
            {
                return replayed;
            }

            if (!await lines.MoveNextAsync().ConfigureAwait(false))
            {
                return null;
            }

            var line = lines.Current;
            return ReaderSupport.TryDecodeUtf8(line.Bytes, out var text, out var badByte)
                ? new CsvLine(text, line.Number)
                : throw new InvalidInputException(ReaderSupport.InvalidUtf8Message(line.Offset + badByte));
        }

        public void PushBack(List<CsvLine> consumed, int from)
        {
            for (var i = consumed.Count - 1; i >= from; i--)
            {
                _replay.Push(consumed[i]);
            }
        }
    }

    private sealed class RecordParser(LineSource source, char delimiter, int maxRecordCharacters)
    {
        private enum State
        {
            FieldStart,
            Unquoted,
            Quoted,
            AfterQuote,
        }

        public async ValueTask<CsvRecord?> ReadAsync()
        {
            CsvLine? first;
            do
            {
                first = await source.NextAsync().ConfigureAwait(false);
                if (first is null)
                {
                    return null;
                }
            }
            while (string.IsNullOrWhiteSpace(first.Text));

            var consumed = new List<CsvLine> { first };
            var fields = new List<string>();
            var field = new StringBuilder();
            var state = State.FieldStart;
            var line = first;
            long characters = 0;
            while (true)
            {
                var text = line.Text;
                for (var i = 0; i < text.Length; i++)
                {
                    var c = text[i];
                    switch (state)
                    {
                        case State.FieldStart when c == '"':
                            state = State.Quoted;
                            break;
                        case State.FieldStart or State.Unquoted when c == delimiter:
                            fields.Add(field.ToString());
                            field.Clear();
                            state = State.FieldStart;
                            break;
                        case State.FieldStart or State.Unquoted:
                            field.Append(c);
                            state = State.Unquoted;
                            break;
                        case State.Quoted when c == '"':
                            if (i + 1 < text.Length && text[i + 1] == '"')
                            {
                                field.Append('"');
                                i++;
                            }
                            else
                            {
                                state = State.AfterQuote;
                            }

                            break;
                        case State.Quoted:
                            field.Append(c);
                            break;
                        case State.AfterQuote when c == delimiter:
                            fields.Add(field.ToString());
                            field.Clear();
                            state = State.FieldStart;
                            break;
                        case State.AfterQuote when c is ' ' or '\t':
                            break;
                        default:
                            return Malformed(consumed, "unexpected character after a closing quote");
                    }
                }

                if (state != State.Quoted)
                {
                    fields.Add(field.ToString());
                    return new CsvRecord(fields, first.Number, null);
                }

                characters += text.Length + 1;
                if (characters > maxRecordCharacters)
                {
                    return Malformed(consumed, string.Create(
                        CultureInfo.InvariantCulture,
                        $"quoted field still open after {maxRecordCharacters} characters"));
                }

                var next = await source.NextAsync().ConfigureAwait(false);
                if (next is null)
                {
                    return Malformed(consumed, "unterminated quoted field");
                }

                consumed.Add(next);
                field.Append('\n');
                line = next;
            }
        }

        private CsvRecord Malformed(List<CsvLine> consumed, string error)
        {
            source.PushBack(consumed, from: 1);
            return new CsvRecord([], consumed[0].Number, error);
        }
    }
}
