using static GraphRag.Ingest.Tests.Extraction.ExtractionFixtures;

namespace GraphRag.Ingest.Tests.Extraction;

public sealed class RobustnessTests
{
    private static readonly string[] Pieces =
    [
        "The", "University", "of", "California", ",", "Berkeley", "(", "UCB", ")", "J.", "R.", "R.", "Tolkien", "'s", "\"",
        "“", "”", "``", "''", "-", " - ", "–", "$", "€", "1,200", "3.5", "million", "km", "1998", "1980s", "March", "12",
        "was", "founded", "by", "born", "in", "He", "It", "and", "van", "der", "de", "la", "Inc.", "St.", "!", "?", ".",
        "\n", "\n\n", "Ω", "帝王", "ˌsɑʊθ", "Åsa", "O'Brien", "'})", "DETACH", "DELETE", "n", "//", "'; DROP TABLE", "--",
        "AT&T", "U.S.", "e.g.", ":", ";", "[", "]", "{", "}", "%", "per", "cent", "AD", "43", "BC", "19th", "century",
    ];

    [Fact]
    public void Extract_RandomTokenSoup_KeepsInvariants()
    {
        var random = new Random(20240607);
        for (var round = 0; round < 300; round++)
        {
            var words = Enumerable.Range(0, random.Next(1, 80)).Select(_ => Pieces[random.Next(Pieces.Length)]);
            var text = string.Join(random.Next(3) == 0 ? "" : " ", words);
            var title = random.Next(4) == 0 ? Pieces[random.Next(Pieces.Length)] + " " + Pieces[random.Next(Pieces.Length)] : "";
            if (string.IsNullOrWhiteSpace(GraphRag.Ingest.Readers.TextNormalizer.Normalize(text)))
            {
                continue;
            }

            var document = Document(text, title, id: $"soup-{round}");
            var graph = Default.Extract(document, WholeChunk(document));

            var ids = graph.Entities.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
            graph.Mentions.Where(m => !(ids.Contains(m.EntityId) && m.Span.Start < m.Span.End
                && m.Text == document.Text.Substring(m.Span.Start, m.Span.End - m.Span.Start))).Should().BeEmpty("round {0}: {1}", round, text);
            graph.Entities.Where(e => !graph.Mentions.Any(m => m.EntityId == e.Id)).Should().BeEmpty("round {0}: {1}", round, text);
            graph.Relations.Where(r => !(ids.Contains(r.SourceId) && ids.Contains(r.TargetId) && r.SourceId != r.TargetId))
                .Should().BeEmpty("round {0}: {1}", round, text);
            graph.Mentions.Select(m => m.Id).Should().OnlyHaveUniqueItems();
        }
    }

    [Fact]
    public void Extract_EmptyOrBlankText_GivesEmptyGraph()
    {
        var document = Document("   ") with { Text = "" };

        Default.Extract(document, []).Should().BeSameAs(GraphRag.Graph.Model.DocumentGraph.Empty);
    }

    [Fact]
    public void Extract_NoChunks_StillExtractsWithEmptyChunkIds()
    {
        var document = Document("Ada Lovelace met Charles Babbage in London.");

        var graph = Default.Extract(document, []);

        graph.Mentions.Should().HaveCount(3).And.OnlyContain(m => m.Span.ChunkId.Length == 0);
    }

    [Fact]
    public void Extract_CancelledToken_Throws()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        var document = Document("Ada Lovelace met Charles Babbage in London.");

        var act = () => Default.Extract(document, WholeChunk(document), cancellation.Token);

        act.Should().Throw<OperationCanceledException>();
    }
}

public sealed class ConcurrencyTests
{
    [DatasetFact]
    public async Task Extract_SharedExtractorOnManyThreads_SameGraphsAsSequential()
    {
        var documents = (await GraphRag.Ingest.Extraction.ExtractionThroughput.ReadCorpusAsync(SharedDatasets.Corpus("hotpotqa-100")!)).Take(200).ToList();
        var extractor = new GraphRag.Ingest.Extraction.RuleBasedGraphExtractor();
        var sequential = documents.Select(d => System.Text.Json.JsonSerializer.Serialize(extractor.Extract(d, ExtractionFixtures.WholeChunk(d)))).ToList();

        var parallel = new string[documents.Count];
        Parallel.For(0, documents.Count, i => parallel[i] = System.Text.Json.JsonSerializer.Serialize(extractor.Extract(documents[i], ExtractionFixtures.WholeChunk(documents[i]))));

        parallel.Should().Equal(sequential);
    }

    [Fact]
    public void Version_SameSettings_SameVersion_DifferentSettings_DifferentVersion()
    {
        var a = new GraphRag.Ingest.Extraction.RuleBasedGraphExtractor();
        var b = new GraphRag.Ingest.Extraction.RuleBasedGraphExtractor();
        var c = new GraphRag.Ingest.Extraction.RuleBasedGraphExtractor(new GraphRag.Ingest.Extraction.ExtractionOptions { MaxCoOccurrencePairsPerSentence = 7 });

        a.Version.Should().Be(b.Version).And.StartWith("rule-based-");
        c.Version.Should().NotBe(a.Version);
    }

    [Fact]
    public void Constructor_OptionsOutOfRange_Throws()
    {
        var act = () => new GraphRag.Ingest.Extraction.RuleBasedGraphExtractor(new GraphRag.Ingest.Extraction.ExtractionOptions { DateQuantityCoOccurrenceWeight = 2 });

        act.Should().Throw<System.ComponentModel.DataAnnotations.ValidationException>();
    }
}
