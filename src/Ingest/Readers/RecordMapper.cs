using System.Globalization;
using GraphRag.Graph;

namespace GraphRag.Ingest.Readers;

/// <summary>A field of a record (CSV column, JSON property) as text.</summary>
internal readonly record struct RecordField(string Name, string Value);

/// <summary>
/// Turns one record into a document by the field mapping in <see cref="ReaderOptions"/>, shared by CSV and JSON so
/// both map ids, titles, text and metadata the same way. Field names match exactly first, then ignoring case.
/// </summary>
internal sealed class RecordMapper
{
    private readonly SourceFile _file;
    private readonly ReaderOptions _options;
    private readonly string _mediaType;
    private readonly Dictionary<string, string> _seenIds = new(StringComparer.Ordinal);
    private long _records;

    public RecordMapper(SourceFile file, ReaderOptions options, string mediaType)
    {
        _file = file;
        _options = options;
        _mediaType = mediaType;
    }

    /// <summary>Counts one more record (read or failed) and throws once the file has more than the limit.</summary>
    /// <returns>The record's 1-based number in the file.</returns>
    public long NextRecord()
    {
        if (++_records > _options.MaxRecordsPerFile)
        {
            throw new InvalidInputException(string.Create(
                CultureInfo.InvariantCulture,
                $"more than {_options.MaxRecordsPerFile} records, over the limit of {_options.MaxRecordsPerFile} (MaxRecordsPerFile)"));
        }

        return _records;
    }

    /// <summary>Maps a record; <paramref name="locator"/> names it in a failure (<c>path:line</c> or <c>path#n</c>).</summary>
    public ReadItem Map(IReadOnlyList<RecordField> fields, long recordNumber, string locator)
    {
        var idIndex = IndexOf(fields, _options.IdField);
        var id = idIndex >= 0 ? fields[idIndex].Value.Trim() : string.Empty;
        string source;
        if (id.Length == 0)
        {
            id = string.Create(CultureInfo.InvariantCulture, $"{_file.RelativePath}#{recordNumber}");
            source = id;
        }
        else
        {
            source = $"{_file.RelativePath}#{id}";
        }

        var titleIndex = IndexOf(fields, _options.TitleField);
        var title = (titleIndex >= 0 ? ReaderSupport.CleanTitle(fields[titleIndex].Value) : null) ?? id;

        var textIndexes = _options.TextFields
            .Select(name => IndexOf(fields, name))
            .Where(static index => index >= 0)
            .Distinct()
            .ToList();
        var rawText = textIndexes.Count > 0
            ? string.Join("\n\n", textIndexes.Select(index => fields[index].Value))
            : string.Join("\n", fields.Where(static field => field.Value.Length > 0).Select(static field => $"{field.Name}: {field.Value}"));
        var text = TextNormalizer.Normalize(rawText);
        if (text.Length == 0)
        {
            return ReadItem.Failed(locator, "no text");
        }

        if (text.Length > _options.MaxDocumentCharacters)
        {
            return ReadItem.Failed(locator, ReaderSupport.TooLongMessage(text.Length, _options));
        }

        if (!_seenIds.TryAdd(id, locator))
        {
            return ReadItem.Failed(locator, $"duplicate id '{id}' (first seen at {_seenIds[id]})");
        }

        return ReadItem.Ok(new ParsedDocument
        {
            Id = id,
            Source = source,
            Title = title,
            MediaType = _mediaType,
            Text = text,
            Metadata = Metadata(fields, idIndex, titleIndex, textIndexes),
        });
    }

    /// <summary>The field's position: an exact name match first, then one that differs only in case; -1 if none.</summary>
    public static int IndexOf(IReadOnlyList<RecordField> fields, string name)
    {
        var caseless = -1;
        for (var i = 0; i < fields.Count; i++)
        {
            if (string.Equals(fields[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }

            if (caseless < 0 && string.Equals(fields[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                caseless = i;
            }
        }

        return caseless;
    }

    private Dictionary<string, string> Metadata(
        IReadOnlyList<RecordField> fields,
        int idIndex,
        int titleIndex,
        List<int> textIndexes)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_options.MetadataFields.Count > 0)
        {
            foreach (var name in _options.MetadataFields)
            {
                var index = IndexOf(fields, name);
                if (index >= 0)
                {
                    Add(metadata, fields[index]);
                }
            }

            return metadata;
        }

        for (var i = 0; i < fields.Count; i++)
        {
            if (i != idIndex && i != titleIndex && !textIndexes.Contains(i))
            {
                Add(metadata, fields[i]);
            }
        }

        return metadata;
    }

    private static void Add(Dictionary<string, string> metadata, RecordField field)
    {
        var value = field.Value.Trim();
        if (value.Length > 0)
        {
            metadata.TryAdd(field.Name, value);
        }
    }
}
