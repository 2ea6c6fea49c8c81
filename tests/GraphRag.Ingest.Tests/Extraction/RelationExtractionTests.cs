using GraphRag.Graph.Text;
using GraphRag.Graph;
using GraphRag.Graph.Model;
using static GraphRag.Ingest.Tests.Extraction.ExtractionFixtures;

namespace GraphRag.Ingest.Tests.Extraction;

public sealed class RelationExtractionTests
{
    [Theory]
    [InlineData("Acme Corporation was founded by Jane Smith.")]
    [InlineData("Acme Corporation was founded in 1999 by Jane Smith.")]
    [InlineData("Jane Smith founded Acme Corporation.")]
    [InlineData("Jane Smith, an engineer, founded the company Acme Corporation.")]
    public void Extract_FoundedActiveOrPassive_CompanyFoundedByPerson(string text)
    {
        var graph = Extract(text);

        var relation = graph.Labelled("founded_by").Should().ContainSingle().Subject;
        relation.SourceId.Should().Be(graph.Entity("Acme Corporation").Id);
        relation.TargetId.Should().Be(graph.Entity("Jane Smith").Id);
        relation.Id.Should().Be(StableId.Create("rel", relation.SourceId, "founded_by", relation.TargetId));
    }

    [Theory]
    [InlineData("The Prestige is a 2006 film directed by Christopher Nolan.", "The Prestige", "directed_by", "Christopher Nolan")]
    [InlineData("Christopher Nolan directed The Prestige.", "The Prestige", "directed_by", "Christopher Nolan")]
    [InlineData("The Hobbit was written by J. R. R. Tolkien.", "The Hobbit", "written_by", "J. R. R. Tolkien")]
    [InlineData("J. R. R. Tolkien wrote The Hobbit.", "The Hobbit", "written_by", "J. R. R. Tolkien")]
    [InlineData("Marie Curie was born in Warsaw.", "Marie Curie", "born_in", "Warsaw")]
    [InlineData("Marie Curie died in Passy.", "Marie Curie", "died_in", "Passy")]
    [InlineData("Google was acquired by Alphabet Inc.", "Alphabet Inc.", "acquired", "Google")]
    [InlineData("Alphabet Inc. acquired Google.", "Alphabet Inc.", "acquired", "Google")]
    [InlineData("Canberra is the capital of Australia.", "Canberra", "capital_of", "Australia")]
    [InlineData("Pixar is a subsidiary of Walt Disney Studios.", "Pixar", "subsidiary_of", "Walt Disney Studios")]
    [InlineData("Johnnycake is an unincorporated community in Barbour County.", "Johnnycake", "located_in", "Barbour County")]
    [InlineData("Ada Lovelace married William King.", "Ada Lovelace", "married_to", "William King")]
    [InlineData("Ada Lovelace studied at the University of London.", "Ada Lovelace", "educated_at", "University of London")]
    public void Extract_CuePhrase_LabelAndDirection(string text, string source, string label, string target)
    {
        var graph = Extract(text);

        var relation = graph.Labelled(label).Should().ContainSingle().Subject;
        relation.SourceId.Should().Be(graph.EntityByKey(source).Id);
        relation.TargetId.Should().Be(graph.EntityByKey(target).Id);
        relation.Evidence.Should().ContainSingle();
    }

    [Fact]
    public void Extract_CueRelation_KeepsSentenceSpanAndPhrase()
    {
        var document = Document("It rained. Acme Corporation was founded in 1999 by Jane Smith. It grew.");
        var graph = Default.Extract(document, WholeChunk(document));

        var evidence = graph.Labelled("founded_by").Single().Evidence.Single();
        document.Text[evidence.Span.Start..evidence.Span.End].Should().Be("Acme Corporation was founded in 1999 by Jane Smith.");
        evidence.Phrase.Should().Be("was founded in 1999 by");
        evidence.Span.ChunkId.Should().Be("doc-1#0");
    }

    [Fact]
    public void Extract_CueOverList_AppliesToEveryListedEntity()
    {
        var graph = Extract("The Band of Gold was founded by Jane Smith, John Brown and Ada Lovelace.");

        graph.Labelled("founded_by").Select(r => r.TargetId).Should().BeEquivalentTo(
            [graph.Entity("Jane Smith").Id, graph.Entity("John Brown").Id, graph.Entity("Ada Lovelace").Id]);
    }

    [Fact]
    public void Extract_SubjectPhraseReferringToTitle_UsesTitleEntity()
    {
        var graph = Extract(
            "The Journal of Small Business Management is a quarterly journal. The journal is published by Wiley-Blackwell.",
            title: "Journal of Small Business Management");

        var relation = graph.Labelled("published_by").Should().ContainSingle().Subject;
        relation.SourceId.Should().Be(graph.Entity("Journal of Small Business Management").Id);
        relation.TargetId.Should().Be(graph.Entity("Wiley-Blackwell").Id);
    }

    [Fact]
    public void Extract_PronounSubject_UsesTitleEntity()
    {
        var graph = Extract("Marie Curie was a physicist. She was born in Warsaw.", title: "Marie Curie");

        var relation = graph.Labelled("born_in").Should().ContainSingle().Subject;
        relation.SourceId.Should().Be(graph.Entity("Marie Curie").Id);
        relation.TargetId.Should().Be(graph.Entity("Warsaw").Id);
    }

    [Fact]
    public void Extract_PronounSentence_SubjectCoOccursWithItsMentions()
    {
        var graph = Extract("Marie Curie was a physicist. She discovered polonium with Pierre Curie in Paris.", title: "Marie Curie");

        var marie = graph.Entity("Marie Curie").Id;
        var paris = graph.Entity("Paris").Id;
        graph.Labelled(RelationLabels.CoOccurs).Should().ContainSingle(r => (r.SourceId == marie && r.TargetId == paris) || (r.SourceId == paris && r.TargetId == marie))
            .Which.Evidence.Single().Phrase.Should().Be("discovered polonium with Pierre Curie in");
    }

    [Fact]
    public void Extract_CoOccurrence_WeightFallsWithDistance()
    {
        var graph = Extract("Ada Lovelace met Charles Babbage and many other curious people at a long dinner in London.");

        var ada = graph.Entity("Ada Lovelace").Id;
        double Weight(string name) => graph.Labelled(RelationLabels.CoOccurs)
            .Single(r => (r.SourceId == ada && r.TargetId == graph.Entity(name).Id) || (r.TargetId == ada && r.SourceId == graph.Entity(name).Id))
            .Weight;

        Weight("Charles Babbage").Should().BeGreaterThan(Weight("London"));
        Weight("Charles Babbage").Should().BeLessThanOrEqualTo(1.0);
    }

    [Fact]
    public void Extract_CoOccurrence_IsSymmetricWithOneIdPerPair()
    {
        var first = Extract("Ada Lovelace met Charles Babbage.");
        var second = Extract("Charles Babbage met Ada Lovelace.");

        first.Labelled(RelationLabels.CoOccurs).Single().Id.Should().Be(second.Labelled(RelationLabels.CoOccurs).Single().Id);
    }

    [Fact]
    public void Extract_DatesCoOccurWithLowerWeight_AndNotWithEachOther()
    {
        var graph = Extract("Ada Lovelace met Charles Babbage in 1833 and again in 1834.");

        var year = graph.Entity("1833").Id;
        var other = graph.Entity("1834").Id;
        graph.Labelled(RelationLabels.CoOccurs).Should().NotContain(r => (r.SourceId == year && r.TargetId == other) || (r.SourceId == other && r.TargetId == year));
        graph.Labelled(RelationLabels.CoOccurs).Where(r => r.SourceId == year || r.TargetId == year).Should().OnlyContain(r => r.Weight <= 0.5);
    }

    [Fact]
    public void Extract_CoOccurrencePairsPerSentence_AreCapped()
    {
        var extractor = new GraphRag.Ingest.Extraction.RuleBasedGraphExtractor(new GraphRag.Ingest.Extraction.ExtractionOptions { MaxCoOccurrencePairsPerSentence = 3 });
        var graph = Extract("Ada Lovelace, Charles Babbage, Marie Curie, Alan Turing and Grace Hopper met in London.", extractor: extractor);

        graph.Labelled(RelationLabels.CoOccurs).Should().HaveCount(3);
    }
}
