using GraphRag.Graph.Model;
using static GraphRag.Ingest.Tests.Extraction.ExtractionFixtures;

namespace GraphRag.Ingest.Tests.Extraction;

/// <summary>Which mention a relation cue belongs to: the sentence's subject across "and", appositions and fronted phrases.</summary>
public sealed class RelationSubjectTests
{
    [Fact]
    public void Extract_CapitalOfAfterAnotherPlace_BelongsToTheSubject()
    {
        var graph = Extract("Lindby is a port town in the north of Sweden and the capital of Norrvik County.");

        graph.Labelled(RelationVocabulary.CapitalOf).Should().ContainSingle()
            .Which.Should().Match<Relation>(r => r.SourceId == graph.Entity("Lindby").Id && r.TargetId == graph.Entity("Norrvik County").Id);
    }

    [Fact]
    public void Extract_SecondPredicateAfterAnotherName_BelongsToTheSubject()
    {
        var graph = Extract("Asta Berg received the Gold Medal of the Haugen Society in 2014 and is a member of the Royal Academy of Engineering.");

        graph.Labelled(RelationVocabulary.MemberOf).Should().ContainSingle()
            .Which.SourceId.Should().Be(graph.Entity("Asta Berg").Id);
    }

    [Fact]
    public void Extract_VerbAfterAnApposition_BelongsToTheSubjectAndTheAppositionToItsName()
    {
        var graph = Extract("The engineer Ola Strand, co-founder of Fjordline Robotics, was born in 1969 on Hitra.");

        var ola = graph.Entity("Ola Strand").Id;
        graph.Labelled(RelationVocabulary.BornIn).Should().ContainSingle(r => r.SourceId == ola && r.TargetId == graph.Entity("Hitra").Id);
        graph.Labelled(RelationVocabulary.FoundedBy).Should().ContainSingle(r => r.SourceId == graph.Entity("Fjordline Robotics").Id && r.TargetId == ola);
    }

    [Fact]
    public void Extract_AppositionAfterALaterName_IsAboutThatName()
    {
        var graph = Extract("Tern Capital was founded by Mira Holt, a co-founder of Kestrel Analytics.");

        graph.Labelled(RelationVocabulary.FoundedBy).Should().Contain(r => r.SourceId == graph.Entity("Kestrel Analytics").Id && r.TargetId == graph.Entity("Mira Holt").Id);
    }

    [Fact]
    public void Extract_PronounAfterAFrontedDate_StandsForTheTitlePerson()
    {
        var graph = Extract("Ingrid Solberg is an engineer. In 2009 she co-founded Havbris Robotics with Ola Strand.", title: "Ingrid Solberg");

        graph.Labelled(RelationVocabulary.FoundedBy).Should().Contain(r => r.SourceId == graph.Entity("Havbris Robotics").Id && r.TargetId == graph.Entity("Ingrid Solberg").Id);
    }

    [Fact]
    public void Extract_FrontedBornClause_IsAboutThePronounsPerson()
    {
        var graph = Extract("Duncan Reid runs a bakery. Born in Perth in 1965, he trained as a baker in Leeds.", title: "Duncan Reid");

        graph.Labelled(RelationVocabulary.BornIn).Should().ContainSingle()
            .Which.Should().Match<Relation>(r => r.SourceId == graph.Entity("Duncan Reid").Id && r.TargetId == graph.Entity("Perth").Id);
    }

    [Theory]
    [InlineData("Her best-known book is \"The Long Tide\" (2011), written by Mara Venn and published by Halden Press.", "The Long Tide", "written_by", "Mara Venn")]
    [InlineData("Mara Venn wrote the novel \"Salt Lines\" (2019), published by Halden Press.", "Salt Lines", "written_by", "Mara Venn")]
    [InlineData("Mara Venn wrote the novel \"Salt Lines\" (2019), published by Halden Press.", "Salt Lines", "published_by", "Halden Press")]
    [InlineData("Jon Berge is married to the cellist Mette Lund.", "Jon Berge", "married_to", "Mette Lund")]
    [InlineData("Kestrel Analytics was founded in 2015 by the marine biologist Ana Ruiz.", "Kestrel Analytics", "founded_by", "Ana Ruiz")]
    [InlineData("Ola Strand was born in 1969 on Hitra.", "Ola Strand", "born_in", "Hitra")]
    public void Extract_CueAroundQuotesAndDescriptions_LabelAndDirection(string text, string source, string label, string target)
    {
        var graph = Extract(text);

        graph.Labelled(label).Should().Contain(r => r.SourceId == graph.EntityByKey(source).Id && r.TargetId == graph.EntityByKey(target).Id);
    }

    [Theory]
    [InlineData("The reports into the Stavern collision are published by Norvik Press.", "published_by")]
    [InlineData("In 2019 Harlow Dynamics bought the Port Elvan sensor maker founded by Ola Brekke.", "founded_by")]
    public void Extract_NameModifyingANoun_IsNotTheSubjectOfTheVerbAfterIt(string text, string label)
    {
        var graph = Extract(text);

        graph.Labelled(label).Should().BeEmpty();
    }

    [Theory]
    [InlineData("Mira Holt, chief executive of Kestrel Analytics, spoke first.")]
    [InlineData("Tern Capital was advised by Mira Holt, chief executive of Kestrel Analytics.")]
    [InlineData("Mira Holt has been managing director of Kestrel Analytics since 2020.")]
    public void Extract_RoleOfAnOrganisation_IsEmployedBy(string text)
    {
        var graph = Extract(text);

        graph.Labelled(RelationVocabulary.EmployedBy).Should().Contain(r => r.SourceId == graph.Entity("Mira Holt").Id && r.TargetId == graph.Entity("Kestrel Analytics").Id);
    }

    [Fact]
    public void Extract_ItsRoleIsAPerson_StatesTheRelationForTheTitleOrganisation()
    {
        var graph = Extract("Kestrel Analytics is a data firm in Leeds. Its chief executive is Mira Holt.", title: "Kestrel Analytics");

        graph.Labelled(RelationVocabulary.EmployedBy).Should().ContainSingle(r => r.SourceId == graph.Entity("Mira Holt").Id && r.TargetId == graph.Entity("Kestrel Analytics").Id);
    }

    [Fact]
    public void Extract_ItDesignedOnACompanysPage_StandsForTheWorkNamedBefore()
    {
        const string Text = "Larsen Boats AS is a Norwegian boat builder. Its first model, the \"Wren 20\", went on sale in 1990. "
            + "It was designed by Kari Holm. It was founded by Per Larsen.";
        var graph = Extract(Text, title: "Larsen Boats AS");

        var company = graph.EntityByKey("Larsen Boats");
        graph.Labelled(RelationVocabulary.CreatedBy).Should().ContainSingle()
            .Which.Should().Match<Relation>(r => r.SourceId == graph.EntityByKey("Wren 20").Id && r.TargetId == graph.Entity("Kari Holm").Id);
        graph.Labelled(RelationVocabulary.FoundedBy).Should().ContainSingle(r => r.SourceId == company.Id && r.TargetId == graph.Entity("Per Larsen").Id);
    }
}
