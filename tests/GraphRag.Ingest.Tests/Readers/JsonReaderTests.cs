using GraphRag.Graph;
using GraphRag.Ingest.Readers;

namespace GraphRag.Ingest.Tests.Readers;

public sealed class JsonReaderTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly JsonReader _reader = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ReadAsync_JsonlWithOneBadLine_ReadsTheOthersAndFailsThatLine()
    {
        var file = _folder.Write("corpus/passages.jsonl",
            "{\"id\": \"a\", \"title\": \"Alpha\", \"text\": \"First passage.\"}\n"
            + "{\"id\": \"b\", \"title\": \n"
            + "\n"
            + "{\"id\": 7, \"title\": \"Gamma\", \"text\": \"Third passage.\", \"year\": 1999, \"tags\": [\"x\", \"é\"], \"extra\": {\"k\": true}, \"none\": null}\r\n");

        var items = await ReaderTestSupport.ReadAllAsync(_reader, file);

        items.Should().HaveCount(3);
        items[0].Document!.Should().BeEquivalentTo(new
        {
            Id = "a",
            Source = "corpus/passages.jsonl#a",
            Title = "Alpha",
            Text = "First passage.",
            MediaType = "application/x-ndjson",
        });
        items[1].Locator.Should().Be("corpus/passages.jsonl:2");
        items[1].Error.Should().StartWith("malformed JSON");
        var third = items[2].Document!;
        third.Id.Should().Be("7");
        third.Metadata.Should().Equal(new Dictionary<string, string>
        {
            ["year"] = "1999",
            ["tags"] = "[\"x\",\"é\"]",
            ["extra"] = "{\"k\":true}",
        });
    }

    [Fact]
    public async Task ReadAsync_JsonlLineThatIsNotAnObject_FailsThatLine()
    {
        var file = _folder.Write("mixed.ndjson", "[1, 2]\n{\"text\": \"ok\"}\n");

        var items = await ReaderTestSupport.ReadAllAsync(_reader, file);

        items[0].Should().BeEquivalentTo(new { Locator = "mixed.ndjson:1", Error = "expected a JSON object, found an array" });
        items[1].Document!.Id.Should().Be("mixed.ndjson#2");
        items[1].Document!.Source.Should().Be("mixed.ndjson#2");
        items[1].Document!.Title.Should().Be("mixed.ndjson#2");
    }

    [Fact]
    public async Task ReadAsync_JsonlWithInvalidUtf8Line_FailsThatLineWithItsByteOffset()
    {
        var file = _folder.Write("bad.jsonl", [.. "{\"text\":\"a\"}\n{\"text\":\""u8, 0xC0, .. "\"}\n{\"text\":\"c\"}\n"u8]);

        var items = await ReaderTestSupport.ReadAllAsync(_reader, file);

        items.Select(item => item.Error).Should().Equal(null, "invalid UTF-8 at byte 22", null);
        items[1].Locator.Should().Be("bad.jsonl:2");
    }

    [Fact]
    public async Task ReadAsync_JsonArray_ReadsEachObjectAndFailsNonObjects()
    {
        var file = _folder.Write("records.json", """
            [
              {"id": "r1", "title": "One", "text": ["Para one.", "Para two."]},
              "not an object",
              {"title": "No id", "text": "Body."},
            ]
            """);

        var items = await ReaderTestSupport.ReadAllAsync(_reader, file);

        items.Should().HaveCount(3);
        items[0].Document!.Text.Should().Be("Para one.\n\nPara two.");
        items[0].Document!.MediaType.Should().Be("application/json");
        items[1].Should().BeEquivalentTo(new { Locator = "records.json#2", Error = "expected a JSON object, found a string" });
        items[2].Document!.Id.Should().Be("records.json#3");
    }

    [Fact]
    public async Task ReadAsync_JsonSingleObject_ReadsOneRecord()
    {
        var file = _folder.Write("one.json", "\uFEFF{\"id\": \"only\", \"text\": \"Body.\", \"author\": \"Ann\"}");

        var document = await ReaderTestSupport.ReadSingleAsync(_reader, file);

        document.Id.Should().Be("only");
        document.Title.Should().Be("only");
        document.Metadata.Should().Equal(new Dictionary<string, string> { ["author"] = "Ann" });
    }

    [Fact]
    public async Task ReadAsync_MalformedJsonFile_ThrowsInvalidInput()
    {
        var file = _folder.Write("broken.json", "[{\"id\": \"a\", \"text\": \"x\"}, {\"id\": ");

        var read = () => ReaderTestSupport.ReadAllAsync(_reader, file);

        var error = await read.Should().ThrowAsync<InvalidInputException>().WithMessage("malformed JSON (*)");
        error.Which.InnerException.Should().NotBeNull();
    }

    [Fact]
    public async Task ReadAsync_JsonFileWithInvalidUtf8_ThrowsNamingTheByteOffset()
    {
        var file = _folder.Write("bad.json", [.. "{\"text\": \""u8, 0xFF, .. "\"}"u8]);

        var read = () => ReaderTestSupport.ReadAllAsync(_reader, file);

        await read.Should().ThrowAsync<InvalidInputException>().WithMessage("invalid UTF-8 at byte 10");
    }

    [Fact]
    public async Task ReadAsync_MoreRecordsThanMaxRecordsPerFile_ThrowsNamingTheLimit()
    {
        var jsonl = _folder.Write("many.jsonl", "{\"text\":\"a\"}\n{\"text\":\"b\"}\n{\"text\":\"c\"}\n");
        var json = _folder.Write("many.json", "[{\"text\":\"a\"},{\"text\":\"b\"},{\"text\":\"c\"}]");
        var options = new ReaderOptions { MaxRecordsPerFile = 2 };

        var readJsonl = () => ReaderTestSupport.ReadAllAsync(_reader, jsonl, options);
        var readJson = () => ReaderTestSupport.ReadAllAsync(_reader, json, options);

        await readJsonl.Should().ThrowAsync<InvalidInputException>().WithMessage("*over the limit of 2 (MaxRecordsPerFile)");
        await readJson.Should().ThrowAsync<InvalidInputException>().WithMessage("*over the limit of 2 (MaxRecordsPerFile)");
    }

    [DatasetFact]
    public async Task ReadAsync_SharedMusiqueCorpusWithDefaults_Gives1890DocumentsWithCorpusIds()
    {
        var path = Path.Combine(DatasetFactAttribute.DatasetsFolder!, "musique-100", "corpus.jsonl");
        var file = new SourceFile(path, "musique-100/corpus.jsonl");

        var items = await ReaderTestSupport.ReadAllAsync(_reader, file);

        items.Should().HaveCount(1890).And.OnlyContain(item => item.Error == null);
        items.Select(item => item.Document!.Id).Should().StartWith(["mq00000", "mq00001"]).And.EndWith("mq01889");
        var first = items[0].Document!;
        first.Title.Should().Be("Journal of Mathematical Physics");
        first.Text.Should().StartWith("The Journal of Mathematical Physics is a peer-reviewed journal");
        first.Source.Should().Be("musique-100/corpus.jsonl#mq00000");
        first.Metadata.Should().BeEmpty();
    }
}

/// <summary>
/// A fact that needs the shared evaluation datasets, which sit beside the repository clone
/// (<c>&lt;clone&gt;/../shared/datasets</c>); skipped with a message when they are not there.
/// </summary>
public sealed class DatasetFactAttribute : FactAttribute
{
    public DatasetFactAttribute()
    {
        if (DatasetsFolder is null)
        {
            Skip = "shared/datasets was not found beside the repository clone (<clone>/../shared/datasets); dataset test skipped.";
        }
    }

    public static string? DatasetsFolder { get; } = FindDatasets();

    private static string? FindDatasets()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "datasets");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
