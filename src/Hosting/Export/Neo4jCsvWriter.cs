using System.Globalization;
using System.Text;

namespace GraphRag.Hosting.Export;

/// <summary>
/// Writes one CSV file in the shape <c>neo4j-admin import</c> reads: a header row of typed columns, then one row per
/// node or relationship. Strings are always quoted, with <c>"</c> written <c>""</c> and <c>\</c> written <c>\\</c>
/// (Neo4j 3.x reads a backslash before a quote as an escape, so a lone backslash must be doubled to survive; 4.x and 5.x
/// read the same files with <c>--legacy-style-quoting=true</c>). Newlines stay inside the quotes, which the importer
/// accepts with <c>--multiline-fields=true</c>. A null writes an empty unquoted field: the property is absent. Array
/// elements are joined with <see cref="ArrayDelimiter"/>, which no element may contain (the importer has no escape for it).
/// </summary>
public sealed class Neo4jCsvWriter : IAsyncDisposable
{
    private readonly TextWriter _writer;
    private bool _rowStarted;

    /// <param name="writer">Where the rows go; the writer owns and disposes it.</param>
    /// <param name="arrayDelimiter">The character between array elements (the importer's <c>--array-delimiter</c>).</param>
    public Neo4jCsvWriter(TextWriter writer, char arrayDelimiter = ';')
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (arrayDelimiter is ',' or '"' or '\\' or '\n' or '\r')
        {
            throw new ArgumentOutOfRangeException(nameof(arrayDelimiter), arrayDelimiter, "The array delimiter must not be the field delimiter, the quote, a backslash or a line break.");
        }

        _writer = writer;
        ArrayDelimiter = arrayDelimiter;
    }

    public char ArrayDelimiter { get; }

    /// <summary>Rows written after the header.</summary>
    public long Rows { get; private set; }

    /// <summary>A UTF-8 (no byte-order mark) file writer with a large buffer, for <see cref="Neo4jCsvWriter(TextWriter, char)"/>.</summary>
    public static StreamWriter CreateFile(string path) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous), new UTF8Encoding(false), 1 << 16)
        {
            NewLine = "\n",
        };

    /// <summary>Writes the header row: column names as the importer reads them (<c>id:ID(Document)</c>, <c>ordinal:int</c>, …).</summary>
    public Task WriteHeaderAsync(IReadOnlyList<string> columns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(columns);
        for (var i = 0; i < columns.Count; i++)
        {
            if (i > 0)
            {
                _writer.Write(',');
            }

            _writer.Write(columns[i]);
        }

        return _writer.WriteLineAsync(ReadOnlyMemory<char>.Empty, cancellationToken);
    }

    public Neo4jCsvWriter String(string? value)
    {
        Separator();
        if (value is not null)
        {
            Quoted(value);
        }

        return this;
    }

    public Neo4jCsvWriter Int(long? value)
    {
        Separator();
        if (value is { } v)
        {
            _writer.Write(v.ToString(CultureInfo.InvariantCulture));
        }

        return this;
    }

    public Neo4jCsvWriter Double(double value)
    {
        Separator();
        _writer.Write(Number(value));
        return this;
    }

    /// <summary>A string array; an empty one writes no property.</summary>
    public Neo4jCsvWriter Strings(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Separator();
        if (values.Count == 0)
        {
            return this;
        }

        _writer.Write('"');
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i].Contains(ArrayDelimiter, StringComparison.Ordinal))
            {
                throw new InvalidDataException(
                    $"An array element contains the array delimiter '{ArrayDelimiter}', which the importer cannot escape: \"{Shorten(values[i])}\".");
            }

            if (i > 0)
            {
                _writer.Write(ArrayDelimiter);
            }

            Escaped(values[i]);
        }

        _writer.Write('"');
        return this;
    }

    public Neo4jCsvWriter Ints(IReadOnlyList<int> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Separator();
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                _writer.Write(ArrayDelimiter);
            }

            _writer.Write(values[i].ToString(CultureInfo.InvariantCulture));
        }

        return this;
    }

    public Neo4jCsvWriter Doubles(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Separator();
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                _writer.Write(ArrayDelimiter);
            }

            _writer.Write(Number(values[i]));
        }

        return this;
    }

    /// <summary>A float array; null writes no property.</summary>
    public Neo4jCsvWriter Floats(float[]? values)
    {
        Separator();
        if (values is null)
        {
            return this;
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                _writer.Write(ArrayDelimiter);
            }

            _writer.Write(Number(values[i]));
        }

        return this;
    }

    /// <summary>Ends the row.</summary>
    public Task EndRowAsync(CancellationToken cancellationToken = default)
    {
        _rowStarted = false;
        Rows++;
        return _writer.WriteLineAsync(ReadOnlyMemory<char>.Empty, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.FlushAsync().ConfigureAwait(false);
        await _writer.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>A number as Java's parsers read it: invariant, shortest round-trip form; never NaN or infinite.</summary>
    internal static string Number(double value) =>
        double.IsFinite(value)
            ? value.ToString("R", CultureInfo.InvariantCulture)
            : throw new InvalidDataException($"A number to export is not finite ({value.ToString(CultureInfo.InvariantCulture)}).");

    internal static string Number(float value) =>
        float.IsFinite(value)
            ? value.ToString("R", CultureInfo.InvariantCulture)
            : throw new InvalidDataException($"A number to export is not finite ({value.ToString(CultureInfo.InvariantCulture)}).");

    private void Separator()
    {
        if (_rowStarted)
        {
            _writer.Write(',');
        }

        _rowStarted = true;
    }

    private void Quoted(string value)
    {
        _writer.Write('"');
        Escaped(value);
        _writer.Write('"');
    }

    private void Escaped(string value)
    {
        var text = value.AsSpan();
        while (true)
        {
            var next = text.IndexOfAny('"', '\\');
            if (next < 0)
            {
                _writer.Write(text);
                return;
            }

            _writer.Write(text[..(next + 1)]);
            _writer.Write(text[next]);
            text = text[(next + 1)..];
        }
    }

    private static string Shorten(string value) => value.Length <= 80 ? value : string.Concat(value.AsSpan(0, 80), "…");
}
