using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using GraphRag.Graph;

namespace GraphRag.Ingest.Readers;

/// <summary>
/// JSON records: <c>.json</c> holds one object or an array of objects; <c>.jsonl</c> and <c>.ndjson</c> hold one
/// object per line and are streamed. Fields map to documents as in <see cref="ReaderOptions"/>: strings as they are,
/// numbers and booleans as written, arrays and objects as compact JSON (an array of strings in a text field is joined
/// by blank lines). A bad line of a JSONL file fails alone; a bad <c>.json</c> file fails whole. Strict UTF-8.
/// </summary>
public sealed class JsonReader : IFormatReader
{
    public const string MediaType = "application/json";

    public const string NdjsonMediaType = "application/x-ndjson";

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 64,
    };

    private static readonly JsonWriterOptions CompactWriter = new()
    {
        Indented = false,
        // Metadata is stored and shown as text, never embedded in HTML: keep non-ASCII readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public IReadOnlyCollection<string> Extensions { get; } = [".json", ".jsonl", ".ndjson"];

    public IAsyncEnumerable<ReadItem> ReadAsync(SourceFile file, ReaderOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(options);
        return string.Equals(Path.GetExtension(file.RelativePath), ".json", StringComparison.OrdinalIgnoreCase)
            ? ReadDocumentAsync(file, options, cancellationToken)
            : ReadLinesAsync(file, options, cancellationToken);
    }

    private static async IAsyncEnumerable<ReadItem> ReadDocumentAsync(
        SourceFile file,
        ReaderOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var bytes = await ReaderSupport.ReadAllBytesAsync(file, options, cancellationToken).ConfigureAwait(false);
        var content = bytes.AsMemory();
        var offset = 0;
        if (content.Span.StartsWith("\uFEFF"u8))
        {
            content = content[3..];
            offset = 3;
        }

        EnsureUtf8(content.Span, offset);
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(content, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidInputException($"malformed JSON ({ReaderSupport.OneLine(ex.Message)})", ex);
        }

        using (json)
        {
            var mapper = new RecordMapper(file, options, MediaType);
            var root = json.RootElement;
            switch (root.ValueKind)
            {
                case JsonValueKind.Object:
                    yield return Map(mapper, root, options, mapper.NextRecord(), file.RelativePath);
                    break;
                case JsonValueKind.Array:
                    var count = root.GetArrayLength();
                    if (count > options.MaxRecordsPerFile)
                    {
                        throw new InvalidInputException(string.Create(
                            CultureInfo.InvariantCulture,
                            $"{count} records, over the limit of {options.MaxRecordsPerFile} (MaxRecordsPerFile)"));
                    }

                    foreach (var element in root.EnumerateArray())
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var number = mapper.NextRecord();
                        var locator = string.Create(CultureInfo.InvariantCulture, $"{file.RelativePath}#{number}");
                        yield return element.ValueKind == JsonValueKind.Object
                            ? Map(mapper, element, options, number, locator)
                            : ReadItem.Failed(locator, $"expected a JSON object, found {Kind(element.ValueKind)}");
                    }

                    break;
                default:
                    throw new InvalidInputException($"expected a JSON object or an array of objects, found {Kind(root.ValueKind)}");
            }
        }
    }

    private static async IAsyncEnumerable<ReadItem> ReadLinesAsync(
        SourceFile file,
        ReaderOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var mapper = new RecordMapper(file, options, NdjsonMediaType);
        var stream = ReaderSupport.OpenChecked(file, options);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var line in LineReader.ReadLinesAsync(stream, options, cancellationToken).ConfigureAwait(false))
            {
                if (IsBlank(line.Bytes))
                {
                    continue;
                }

                var number = mapper.NextRecord();
                var locator = string.Create(CultureInfo.InvariantCulture, $"{file.RelativePath}:{line.Number}");
                yield return ReadLine(mapper, line, options, number, locator);
            }
        }
    }

    private static ReadItem ReadLine(RecordMapper mapper, ByteLine line, ReaderOptions options, long number, string locator)
    {
        var status = Utf8.IsValid(line.Bytes);
        if (!status)
        {
            ReaderSupport.TryDecodeUtf8(line.Bytes, out _, out var badByte);
            return ReadItem.Failed(locator, ReaderSupport.InvalidUtf8Message(line.Offset + badByte));
        }

        try
        {
            using var json = JsonDocument.Parse(line.Bytes, DocumentOptions);
            return json.RootElement.ValueKind == JsonValueKind.Object
                ? Map(mapper, json.RootElement, options, number, locator)
                : ReadItem.Failed(locator, $"expected a JSON object, found {Kind(json.RootElement.ValueKind)}");
        }
        catch (JsonException ex)
        {
            return ReadItem.Failed(locator, $"malformed JSON ({ReaderSupport.OneLine(ex.Message)})");
        }
    }

    private static ReadItem Map(RecordMapper mapper, JsonElement record, ReaderOptions options, long number, string locator)
    {
        var fields = new List<RecordField>();
        try
        {
            foreach (var property in record.EnumerateObject())
            {
                if (property.Value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
                {
                    continue;
                }

                var isText = options.TextFields.Any(name => string.Equals(name, property.Name, StringComparison.OrdinalIgnoreCase));
                fields.Add(new RecordField(property.Name, ValueText(property.Value, isText)));
            }
        }
        catch (InvalidOperationException ex)
        {
            // A string with an escaped lone surrogate cannot become .NET text.
            return ReadItem.Failed(locator, $"unreadable value ({ReaderSupport.OneLine(ex.Message)})");
        }

        return mapper.Map(fields, number, locator);
    }

    private static string ValueText(JsonElement value, bool isText)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString() ?? string.Empty;
            case JsonValueKind.Number:
                return value.GetRawText();
            case JsonValueKind.True:
                return "true";
            case JsonValueKind.False:
                return "false";
            case JsonValueKind.Array when isText && value.EnumerateArray().All(static item => item.ValueKind == JsonValueKind.String):
                return string.Join("\n\n", value.EnumerateArray().Select(static item => item.GetString()));
            default:
                var buffer = new System.Buffers.ArrayBufferWriter<byte>();
                using (var writer = new Utf8JsonWriter(buffer, CompactWriter))
                {
                    value.WriteTo(writer);
                }

                return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
    }

    private static void EnsureUtf8(ReadOnlySpan<byte> bytes, int baseOffset)
    {
        if (!Utf8.IsValid(bytes))
        {
            ReaderSupport.TryDecodeUtf8(bytes, out _, out var badByte);
            throw new InvalidInputException(ReaderSupport.InvalidUtf8Message(baseOffset + badByte));
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExcept(" \t\r"u8) < 0;

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "an object",
    };
}
