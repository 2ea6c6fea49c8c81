using GraphRag.Graph;
using GraphRag.Ingest.Readers;

namespace GraphRag.Ingest.Tests.Readers;

public sealed class CsvReaderTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly CsvReader _reader = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ReadAsync_QuotedFieldsAndAnUnterminatedQuote_ReadsGoodRowsAndFailsOne()
    {
        var file = _folder.Write("data/people.csv",
            "id,title,text,lang\r\n"
            + "1,First,\"Hello, world\",en\r\n"
            + "2,Second,\"Line one\r\nLine two\",fr\r\n"
            + "3,\"Third \"\"quoted\"\"\",Plain,de\r\n"
            + "4,Broken,\"never closed,en\r\n"
            + "5,Fifth,Last row,en\r\n");

        var items = await ReaderTestSupport.ReadAllAsync(_reader, file);

        items.Where(item => item.Document is not null).Select(item => item.Document!.Id).Should().Equal("1", "2", "3", "5");
        items.Should().ContainSingle(item => item.Error != null)
            .Which.Should().BeEquivalentTo(new { Locator = "data/people.csv:6", Error = "unterminated quoted field" });
        var second = items.Single(item => item.Document?.Id == "2").Document!;
        second.Text.Should().Be("Line one\nLine two");
        second.Title.Should().Be("Second");
        second.Source.Should().Be("data/people.csv#2");
        second.MediaType.Should().Be("text/csv");
        second.Metadata.Should().Equal(new Dictionary<string, string> { ["lang"] = "fr" });
        items.Single(item => item.Document?.Id == "3").Document!.Title.Should().Be("Third \"quoted\"");
        items.Single(item => item.Document?.Id == "1").Locator.Should().Be("data/people.csv#1");
    }

    [Fact]
    public async Task ReadAsync_RowWithWrongFieldCount_FailsThatRowOnly()
    {
        var file = _folder.Write("rows.csv", "id,text\n1,one\n2,two,extra\n\n3,three\n");

        var items = await ReaderTestSupport.ReadAllAsync(_reader, file);

        items.Select(item => item.Document?.Id).Should().Equal("1", null, "3");
        items[1].Should().BeEquivalentTo(new { Locator = "rows.csv:3", Error = "expected 2 fields, found 3" });
    }

    [Fact]
    public async Task ReadAsync_TextAfterClosingQuote_FailsThatRowOnly()
    {
        var file = _folder.Write("rows.csv", "id,text\n1,\"one\"x\n2,two\n");

        var items = await ReaderTestSupport.ReadAllAsync(_reader, file);

        items.Select(item => item.Document?.Id).Should().Equal(null, "2");
        items[0].Locator.Should().Be("rows.csv:2");
    }

    [Fact]
    public async Task ReadAsync_NoIdOrTextColumns_UsesRowNumberIdsAndWholeRowText()
    {
        var file = _folder.Write("cities.tsv", "name\tcountry\tpopulation\nParis\tFrance\t2100000\nLyon\tFrance\t\n");

        var items = await ReaderTestSupport.ReadAllAsync(_reader, file);

        var documents = items.Select(item => item.Document!).ToList();
        documents.Select(document => document.Id).Should().Equal("cities.tsv#1", "cities.tsv#2");
        documents[0].Source.Should().Be("cities.tsv#1");
        documents[0].Title.Should().Be("cities.tsv#1");
        documents[0].Text.Should().Be("name: Paris\ncountry: France\npopulation: 2100000");
        documents[0].MediaType.Should().Be("text/tab-separated-values");
        documents[1].Text.Should().Be("name: Lyon\ncountry: France");
        documents[1].Metadata.Should().Equal(new Dictionary<string, string> { ["name"] = "Lyon", ["country"] = "France" });
    }

    [Fact]
    public async Task ReadAsync_CustomFieldMapping_JoinsTextFieldsAndKeepsOnlyChosenMetadata()
    {
        var file = _folder.Write("articles.csv", "Key;Headline;Lead;Body;Author;Year\nk1;News;Short lead.;Long body.;Ann;2024\nk2;Empty;;;Bob;2023\n");
        var options = new ReaderOptions { IdField = "key", TitleField = "headline", CsvDelimiter = ';' };
        options.TextFields.Clear();
        options.TextFields.Add("lead");
        options.TextFields.Add("body");
        options.MetadataFields.Add("year");

        var items = await ReaderTestSupport.ReadAllAsync(_reader, file, options);

        var first = items[0].Document!;
        first.Id.Should().Be("k1");
        first.Title.Should().Be("News");
        first.Text.Should().Be("Short lead.\n\nLong body.");
        first.Metadata.Should().Equal(new Dictionary<string, string> { ["Year"] = "2024" });
        items[1].Should().BeEquivalentTo(new { Locator = "articles.csv:3", Error = "no text", Document = (ParsedDocument?)null });
    }

    [Fact]
    public async Task ReadAsync_DuplicateId_FailsTheSecondRecord()
    {
        var file = _folder.Write("dupes.csv", "id,text\na,one\na,two\n");

        var items = await ReaderTestSupport.ReadAllAsync(_reader, file);

        items[0].Document!.Text.Should().Be("one");
        items[1].Error.Should().Be("duplicate id 'a' (first seen at dupes.csv:2)");
    }

    [Fact]
    public async Task ReadAsync_MoreRowsThanMaxRecordsPerFile_ThrowsNamingTheLimit()
    {
        var file = _folder.Write("many.csv", "id,text\n1,a\n2,b\n3,c\n");

        var read = () => ReaderTestSupport.ReadAllAsync(_reader, file, new ReaderOptions { MaxRecordsPerFile = 2 });

        await read.Should().ThrowAsync<InvalidInputException>().WithMessage("*over the limit of 2 (MaxRecordsPerFile)");
    }

    [Fact]
    public async Task ReadAsync_EmptyFile_ThrowsNoHeaderRow()
    {
        var file = _folder.Write("empty.csv", "\n\n");

        var read = () => ReaderTestSupport.ReadAllAsync(_reader, file);

        await read.Should().ThrowAsync<InvalidInputException>().WithMessage("no header row");
    }

    /// <summary>A CSV saved by Excel as plain "CSV" is Windows-1252; it was refused as invalid UTF-8.</summary>
    [Fact]
    public async Task ReadAsync_Windows1252File_DecodesEveryRow()
    {
        var file = _folder.Write("ansi.csv", [.. "id,title,text\r\n1,Caf"u8, 0xE9, .. ",Open daily\r\n2,S"u8, 0xF8, .. "ren,Costs "u8, 0x80, .. "5\r\n"u8]);

        var items = await ReaderTestSupport.ReadAllAsync(_reader, file);

        items.Select(i => i.Error).Should().AllBeEquivalentTo((string?)null);
        items.Select(i => i.Document!.Title).Should().Equal("Café", "Søren");
        items[1].Document!.Text.Should().Be("Costs €5");
    }

    /// <summary>Excel's "Unicode text" is UTF-16 LE with a byte-order mark (tab-separated).</summary>
    [Theory]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    public async Task ReadAsync_Utf16FileWithByteOrderMark_DecodesEveryRow(string encodingName)
    {
        var encoding = System.Text.Encoding.GetEncoding(encodingName);
        var file = _folder.Write("unicode.tsv", [.. encoding.GetPreamble(), .. encoding.GetBytes("id\ttitle\ttext\r\n1\tSkorøy\tHarbour town\r\n2\t東京\tCapital\r\n")]);

        var items = await ReaderTestSupport.ReadAllAsync(_reader, file);

        items.Select(i => i.Document!.Title).Should().Equal("Skorøy", "東京");
        items.Select(i => i.Document!.Id).Should().Equal("1", "2");
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8AfterUtf8ByteOrderMark_ThrowsNamingTheByteOffset()
    {
        var file = _folder.Write("bad.csv", [0xEF, 0xBB, 0xBF, .. "id,text\n1,"u8, 0xFF, (byte)'\n']);

        var read = () => ReaderTestSupport.ReadAllAsync(_reader, file);

        await read.Should().ThrowAsync<InvalidInputException>().WithMessage("invalid UTF-8 at byte 13");
    }

    [Fact]
    public async Task ReadAsync_FileOverMaxFileBytes_Throws()
    {
        var file = _folder.Write("big.csv", "id,text\n" + string.Concat(Enumerable.Repeat("1,abc\n", 100)));

        var read = () => ReaderTestSupport.ReadAllAsync(_reader, file, new ReaderOptions { MaxFileBytes = 100 });

        await read.Should().ThrowAsync<InvalidInputException>().WithMessage("file is 608 bytes, over the limit of 100*");
    }
}
