using GraphRag.Graph.Model;
using static GraphRag.Ingest.Tests.Extraction.ExtractionFixtures;

namespace GraphRag.Ingest.Tests.Extraction;

/// <summary>Relations company reports state that the first vocabulary lacked: makers, operators, customers, investors, leaders, collisions.</summary>
public sealed class CompanyRelationTests
{
    [Theory]
    [InlineData("The Wren Probe is a depth sensor made by Halvik Instruments.", "Wren Probe", "created_by", "Halvik Instruments")]
    [InlineData("The Tern Lander is a seabed lander built by Ostmark Engineering.", "Tern Lander", "created_by", "Ostmark Engineering")]
    [InlineData("Halvik Instruments is the maker of the Wren Probe.", "Wren Probe", "created_by", "Halvik Instruments")]
    [InlineData("The Polar Tern is a survey ship operated by the Nordic Survey Agency.", "Polar Tern", "owned_by", "Nordic Survey Agency")]
    [InlineData("Lumen Batteries has raised €9 million in a funding round led by Greyfjord Capital.", "Lumen Batteries", "funded_by", "Greyfjord Capital")]
    [InlineData("Greyfjord Capital invested in Lumen Batteries.", "Lumen Batteries", "funded_by", "Greyfjord Capital")]
    [InlineData("In 2019 Ocean Dawn was struck by Baltic Pearl.", "Baltic Pearl", "collided_with", "Ocean Dawn")]
    [InlineData("The tanker Baltic Pearl collided with Ocean Dawn.", "Baltic Pearl", "collided_with", "Ocean Dawn")]
    [InlineData("Orbital Freight is a customer of Skyline Data.", "Orbital Freight", "customer_of", "Skyline Data")]
    public void Extract_CompanyCue_LabelAndDirection(string text, string source, string label, string target)
    {
        var graph = Extract(text);

        graph.Labelled(label).Should().Contain(r => r.SourceId == graph.EntityByKey(source).Id && r.TargetId == graph.EntityByKey(target).Id);
    }

    [Fact]
    public void Extract_RoundLedBy_IsTheSubjectsFundingNotTheRoundName()
    {
        var graph = Extract("Lumen Batteries, the Odense start-up that makes sodium cells, has raised €9 million in a Series B round led by Greyfjord Capital.");

        graph.Labelled(RelationVocabulary.FundedBy).Should().ContainSingle()
            .Which.Should().Match<Relation>(r => r.SourceId == graph.Entity("Lumen Batteries").Id && r.TargetId == graph.Entity("Greyfjord Capital").Id);
    }

    [Fact]
    public void Extract_PossessiveRoleCopula_RelatesThePossessor()
    {
        var graph = Extract("Skyline's first large customer was Orbital Freight, which moved its archive in 2020.");

        graph.Labelled(RelationVocabulary.CustomerOf).Should().ContainSingle()
            .Which.Should().Match<Relation>(r => r.SourceId == graph.Entity("Orbital Freight").Id && r.TargetId == graph.Entity("Skyline").Id);
    }

    [Fact]
    public void Extract_PossessiveBeforeOtherWords_StatesNoRelation()
    {
        var graph = Extract("Denmark's largest harbours are located in Esbjerg.");

        graph.Labelled(RelationVocabulary.LocatedIn).Should().NotContain(r => r.SourceId == graph.Entity("Denmark").Id);
    }

    [Fact]
    public void Extract_CoordinatedRoleNouns_StateEachRelation_PastABracketedAside()
    {
        var graph = Extract("Ada Berg (born 1968) is a Danish chemist and the co-founder and chief executive of Lumen Batteries.");

        var ada = graph.Entity("Ada Berg").Id;
        var lumen = graph.Entity("Lumen Batteries").Id;
        graph.Labelled(RelationVocabulary.FoundedBy).Should().Contain(r => r.SourceId == lumen && r.TargetId == ada);
        graph.Labelled(RelationVocabulary.EmployedBy).Should().Contain(r => r.SourceId == ada && r.TargetId == lumen);
        graph.Labelled(RelationVocabulary.LedBy).Should().Contain(r => r.SourceId == lumen && r.TargetId == ada);
    }

    [Fact]
    public void Extract_SeniorRoleThatDoesNotLead_IsEmploymentOnly()
    {
        var graph = Extract("Karl Nyström is the chief engineer of Lumen Batteries.");

        graph.Labelled(RelationVocabulary.EmployedBy).Should().ContainSingle();
        graph.Labelled(RelationVocabulary.LedBy).Should().BeEmpty();
    }

    [Fact]
    public void Extract_BornInPlaceCommaCountry_HasOneBirthplace()
    {
        var graph = Extract("Tove Lund was born in Ribe, Denmark, and studied chemistry in Aarhus.");

        graph.Labelled(RelationVocabulary.BornIn).Should().ContainSingle()
            .Which.TargetId.Should().Be(graph.Entity("Ribe").Id);
    }

    [Fact]
    public void Extract_PredicateAfterAndInARelativeClause_BelongsToTheClausesSubject()
    {
        var graph = Extract("Its oldest shop, Lund Bakery, was run by a baker whose son, Erik Lund, was born in the town in 1950 and later founded the shipping company Nordsø Line.");

        graph.Labelled(RelationVocabulary.FoundedBy).Should().ContainSingle()
            .Which.Should().Match<Relation>(r => r.SourceId == graph.Entity("Nordsø Line").Id && r.TargetId == graph.Entity("Erik Lund").Id);
    }

    [Fact]
    public void Extract_NumberJoinedToAModelName_IsNoQuantity()
    {
        var graph = Extract("Since 2019 an array of six QX-5 sensors has been fitted to the survey ship Polar Tern.");

        graph.Entities.Should().NotContain(e => e.Type == EntityTypes.Quantity && e.Name.Contains("5", StringComparison.Ordinal));
    }
}
