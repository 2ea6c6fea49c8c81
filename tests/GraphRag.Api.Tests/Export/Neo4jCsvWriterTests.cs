using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Hosting.Export;

namespace GraphRag.Api.Tests.Export;

/// <summary>The CSV format <c>neo4j-admin import</c> reads: quoting, escapes, arrays, numbers and headers.</summary>
public sealed class Neo4jCsvWriterTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("graphrag-csv-").FullName;

    private static async Task<string> WriteAsync(Func<Neo4jCsvWriter, Task> rows, char delimiter = ';')
    {
        using var text = new StringWriter { NewLine = "\n" };
        var writer = new Neo4jCsvWriter(text, delimiter);
        await rows(writer);
        await text.FlushAsync();
        return text.ToString();
    }

    [Fact]
    public async Task String_QuotesNewlinesAndBackslashes_AreQuotedAndEscapedForThe3xImporter()
    {
        var csv = await WriteAsync(async w =>
        {
            w.String("say \"hi\"").String("two\nlines\r\nthree").String("C:\\dir\\").String(string.Empty).String(null);
            await w.EndRowAsync();
        });

        csv.Should().Be("\"say \"\"hi\"\"\",\"two\nlines\r\nthree\",\"C:\\\\dir\\\\\",\"\",\n");
    }

    [Fact]
    public async Task Arrays_AreJoinedWithTheDelimiterInsideOneField_AndEmptyOrNullWriteNoProperty()
    {
        var csv = await WriteAsync(async w =>
        {
            w.Strings(["a", "b \"c\""]).Ints([1, -2]).Doubles([0.5, 1e-7]).Floats([0.25f, -1f]).Strings([]).Floats(null);
            await w.EndRowAsync();
        });

        csv.Should().Be("\"a;b \"\"c\"\"\",1;-2,0.5;1E-07,0.25;-1,,\n");
    }

    [Fact]
    public async Task Strings_ElementHoldingTheArrayDelimiter_FailsRatherThanSplitting()
    {
        var act = () => WriteAsync(w => { w.Strings(["fine", "was founded; later"]); return Task.CompletedTask; });

        await act.Should().ThrowAsync<InvalidDataException>().WithMessage("*array delimiter ';'*");
    }

    [Fact]
    public async Task Numbers_AreInvariantAndRoundTrip_WhateverTheCulture()
    {
        var culture = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            var csv = await WriteAsync(async w =>
            {
                w.Double(0.1 + 0.2).Int(1234567).Int(null);
                await w.EndRowAsync();
            });

            csv.Should().Be("0.30000000000000004,1234567,\n");
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = culture;
        }
    }

    [Fact]
    public void Numbers_NotFinite_AreRejected()
    {
        var act = () => Neo4jCsvWriter.Number(double.NaN);

        act.Should().Throw<InvalidDataException>();
    }

    [Fact]
    public void Headers_AreTheModelsLabelsTypesAndTypedColumns()
    {
        Neo4jBulkExport.DocumentHeader.Should().Equal(
            "id:ID(Document)", ":LABEL", "title", "source", "mediaType", "contentHash", "pipeline", "acl:string[]", "metadata", "regions", "text");
        Neo4jBulkExport.ChunkHeader.Should().Equal(
            "id:ID(Chunk)", ":LABEL", "documentId", "ordinal:int", "start:int", "end:int", "tokenCount:int", "page:int", "section", "text", "preview",
            "embedding:float[]", "embeddingTextHash");
        Neo4jBulkExport.EntityHeader.Should().Equal("id:ID(Entity)", ":LABEL", "key", "name", "type", "mentionCount:int", "documentCount:int");
        Neo4jBulkExport.HasChunkHeader.Should().Equal(":START_ID(Document)", ":END_ID(Chunk)", ":TYPE", "ordinal:int");
        Neo4jBulkExport.MentionsHeader.Should().Equal(
            ":START_ID(Chunk)", ":END_ID(Entity)", ":TYPE", "id", "documentId", "start:int", "end:int", "text", "surfaceKey", "type", "resolution", "extractor");
        Neo4jBulkExport.DescribesHeader.Should().Equal(":START_ID(Document)", ":END_ID(Entity)", ":TYPE", "key", "name", "type", "mentions:int");
        Neo4jBulkExport.RelatesHeader.Should().Equal(
            ":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", "id", "type", "weight:double", "evidenceCount:int", "evidenceDocumentIds:string[]",
            "evidenceChunkIds:string[]", "evidenceStarts:int[]", "evidenceEnds:int[]", "evidencePhrases:string[]", "evidenceWeights:double[]",
            "evidenceExtractors:string[]");
    }

    [Fact]
    public async Task Export_PhraseWithSemicolon_ChoosesAnotherArrayDelimiterAndPrintsIt()
    {
        var source = new FakeSource(phrase: "was founded in 1892; later");

        var result = await Neo4jBulkExport.WriteAsync(source, _root);

        result.ArrayDelimiter.Should().Be('|');
        result.ImportCommand3().Should().Contain("--array-delimiter='|'").And.Contain("--multiline-fields=true").And.Contain("--id-type=STRING");
        var relates = ImportCsv.Read(Path.Combine(_root, "relates.csv"));
        relates[1][11].Should().Be("was founded in 1892; later|\"quoted\" \\ phrase");
    }

    [Fact]
    public async Task Export_HostileText_ReadsBackAsStored()
    {
        const string text = "Ada \"The Countess\" Lovelace, C:\\notes\\\nnext line; '}) DETACH DELETE n //\r\nend\\";
        var source = new FakeSource(phrase: "plain", text: text);

        var result = await Neo4jBulkExport.WriteAsync(source, _root);

        result.ArrayDelimiter.Should().Be(';');
        ImportCsv.Read(Path.Combine(_root, "documents.csv"))[1][10].Should().Be(text);
        var chunk = ImportCsv.Read(Path.Combine(_root, "chunks.csv"))[1];
        chunk[9].Should().Be(text);
        chunk[10].Should().Be(text[..Math.Min(60, text.Length)]);
        chunk[7].Should().BeNull("a chunk without a page has no page property");
        chunk[11].Should().Be("0.5;-0.25");
        result.Counts.Should().BeEquivalentTo(new Dictionary<string, long>
        {
            ["Document"] = 1, ["Chunk"] = 1, ["Entity"] = 2, ["HAS_CHUNK"] = 1, ["MENTIONS"] = 2, ["DESCRIBES"] = 2, ["RELATES"] = 1,
        });
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>One document, one chunk, two entities with a relation between them.</summary>
    private sealed class FakeSource(string phrase, string text = "Ada met Charles.") : IGraphExportSource, IGraphExportReader
    {
        public long Generation => 7;

        public Task<IGraphExportReader> OpenExportAsync(CancellationToken cancellationToken = default) => Task.FromResult<IGraphExportReader>(this);

        public async IAsyncEnumerable<ExportDocument> ReadDocumentsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            yield return new ExportDocument(
                new Document { Id = "doc-1", Source = "doc-1.txt", Title = "T", MediaType = "text/plain", Text = text, ContentHash = "h", Acl = ["team a"] },
                "v1");
        }

        public async IAsyncEnumerable<ExportChunk> ReadChunksAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            var chunk = new Chunk { Id = "chk-1", DocumentId = "doc-1", Ordinal = 0, Text = text, Start = 0, End = text.Length, TokenCount = 9 };
            yield return new ExportChunk(chunk, new ChunkVector("chk-1", "th", [2, -1], 0.25f));
        }

        public async IAsyncEnumerable<ExportEntity> ReadEntitiesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            foreach (var (id, name) in new[] { ("ent-a", "Ada"), ("ent-c", "Charles") })
            {
                yield return new ExportEntity(
                    new Entity { Id = id, Key = name.ToLowerInvariant(), Name = name, Type = "Person", MentionCount = 1, DocumentCount = 1 },
                    [new EntityDescription("doc-1", name.ToLowerInvariant(), name, "Person", 1)]);
            }
        }

        public async IAsyncEnumerable<ExportMention> ReadMentionsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            yield return new ExportMention(new Mention { Id = "m1", EntityId = "ent-a", Text = "Ada", Span = new TextSpan("doc-1", "chk-1", 0, 3), Type = "Person" }, "ada");
            yield return new ExportMention(new Mention { Id = "m2", EntityId = "ent-c", Text = "Charles", Span = new TextSpan("doc-1", "chk-1", 8, 15), Type = "Person" }, "charles");
        }

        public async IAsyncEnumerable<Relation> ReadRelationsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            yield return new Relation
            {
                Id = "rel-1",
                SourceId = "ent-a",
                TargetId = "ent-c",
                Label = "met",
                Weight = 1.5,
                Evidence =
                [
                    new RelationEvidence(new TextSpan("doc-1", "chk-1", 0, 15), phrase, 1),
                    new RelationEvidence(new TextSpan("doc-1", "chk-1", 0, 15), "\"quoted\" \\ phrase", 0.5),
                ],
            };
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
