using GraphRag.Graph.Model;
using static GraphRag.Ingest.Tests.Extraction.ExtractionFixtures;

namespace GraphRag.Ingest.Tests.Extraction;

/// <summary>Company and other non-person names: legal forms, typing cues, and what keeps them apart from people.</summary>
public sealed class OrganisationNameTests
{
    [Fact]
    public void Extract_LegalFormThenOfPlace_EndsTheNameAtTheLegalForm()
    {
        var graph = Extract("In 2014 Norsk Hydrolab bought Volker Haus GmbH of Dresden, Germany, for 9 million euros.");

        graph.Names().Should().Contain("Volker Haus GmbH").And.NotContain(n => n.Contains("of Dresden", StringComparison.Ordinal));
        graph.Entity("Volker Haus GmbH").Type.Should().Be(EntityTypes.Organization);
    }

    [Fact]
    public void Extract_TitleWrittenWithItsLegalForm_IsOneMentionAndNoEntityOfItsOwn()
    {
        var graph = Extract("Larsen Optics\n\nLarsen Optics S.A. is a lens maker based in Porto.", title: "Larsen Optics");

        var company = graph.EntityByKey("Larsen Optics");
        company.Type.Should().Be(EntityTypes.Organization);
        graph.MentionsOf(company).Select(m => m.Text).Should().Contain("Larsen Optics S.A.");
        graph.Entities.Should().NotContain(e => e.Key == "sa");
        graph.Labelled("headquartered_in").Should().ContainSingle(r => r.SourceId == company.Id);
    }

    [Fact]
    public void Extract_LowerCaseLegalFormAfterName_BelongsToTheMention()
    {
        var graph = Extract("The results of Harwick Marine Group plc were published on Monday.");

        graph.Mentions.Should().Contain(m => m.Text == "Harwick Marine Group plc");
    }

    [Fact]
    public void Extract_PlainTwoWordNameRepeated_IsTypedByItsContextNotByRepeatingItsShape()
    {
        // "Brightwater Optics" looks like a person's name; that is one piece of evidence however often it is written,
        // while each organisational context counts.
        var graph = Extract(
            "Brightwater Optics makes lenses in Oslo. Brightwater Optics sells them abroad. Brightwater Optics exports most of them. "
            + "Mia Lund is the chief engineer of Brightwater Optics.");

        graph.Entity("Brightwater Optics").Type.Should().Be(EntityTypes.Organization);
        graph.Entity("Mia Lund").Type.Should().NotBe(EntityTypes.Organization);
    }

    [Theory]
    [InlineData("In 2012 she founded Saltmark Labs in a garage.", "Saltmark Labs")]
    [InlineData("In 2012 she co-founded Pellow Brightline with a friend.", "Pellow Brightline")]
    [InlineData("The engineer left in 2001 to join Carrick Ansel.", "Carrick Ansel")]
    [InlineData("Tova Brink is a co-founder of Hallam Verity.", "Hallam Verity")]
    [InlineData("The chief executive of Dunmore Kettle said little.", "Dunmore Kettle")]
    [InlineData("Fenwick Arlo shows its first drone at the fair.", "Fenwick Arlo")]
    [InlineData("The probe is made by Orrin Castell of Leeds.", "Orrin Castell")]
    [InlineData("The boatyard was bought by the Ostwald Brandt shipyard in 1990.", "Ostwald Brandt")]
    public void Extract_OrganisationContext_TypesAPlainNameOrganization(string text, string name)
    {
        Extract(text).Entity(name).Type.Should().Be(EntityTypes.Organization);
    }

    [Theory]
    [InlineData("The research vessel RV Polar Tern left Tromsø on Monday.", "RV Polar Tern")]
    [InlineData("The ferry MS Nordic Wren was repaired in Bergen.", "MS Nordic Wren")]
    [InlineData("The survey mapped the Marlow Deep last year.", "Marlow Deep")]
    [InlineData("The harbour adopted the Small Craft Safety Code in 2020.", "Small Craft Safety Code")]
    public void Extract_NamedThingThatLooksLikeAName_IsNotAPerson(string text, string name)
    {
        Extract(text).EntityByKey(name).Type.Should().NotBe(EntityTypes.Person);
    }

    [Fact]
    public void Extract_CompanyShortNameAfterItsFullName_ResolvesToTheCompany()
    {
        var graph = Extract("Harlow Dynamics Ltd makes sonar in Hull. In 2019 Harlow bought a rival, and Harlow now employs 300 people.");

        var company = graph.EntityByKey("Harlow Dynamics");
        graph.MentionsOf(company).Where(m => m.Text == "Harlow").Should().HaveCount(2).And.OnlyContain(m => m.Resolution == "alias:short-name");
        graph.Entities.Should().NotContain(e => e.Key == "harlow");
    }

    [Fact]
    public void Extract_FirstWordOfAnInstitution_IsNotItsShortName()
    {
        var graph = Extract("Keswick Technical University trains engineers. Many of its students later work for firms in Keswick.");

        graph.EntityByKey("Keswick").Id.Should().NotBe(graph.EntityByKey("Keswick Technical University").Id);
    }

    [Fact]
    public void Extract_TwoCompaniesStartingAlike_StayApartAndLeaveTheShortNameAlone()
    {
        var graph = Extract("Nordic Holding AS owns ferries. Nordic Holdings ASA owns tankers. Nordic declined to comment.");

        var holding = graph.EntityByKey("Nordic Holding AS");
        var holdings = graph.EntityByKey("Nordic Holdings ASA");
        holding.Id.Should().NotBe(holdings.Id);
        new[] { holding.Id, holdings.Id }.Should().NotContain(graph.Mentions.Single(m => m.Text == "Nordic").EntityId);
    }

    [Fact]
    public void Extract_NearDuplicateCompanyNamesInOneSentence_AreTwoEntities()
    {
        var graph = Extract("Acme Ltd. supplies bolts to Acme Co. in Leeds.");

        graph.EntityByKey("Acme Ltd.").Id.Should().NotBe(graph.EntityByKey("Acme Co.").Id);
    }

    [Theory]
    [InlineData("Acme Ltd. (formerly Acme Co.) makes bolts in Leeds. Acme Co. was founded in 1950.", "Acme Ltd.", "Acme Co.")]
    [InlineData("Brook Marine AS, formerly known as Brook Shipping, builds ferries. Brook Shipping was founded in 1950.", "Brook Marine AS", "Brook Shipping")]
    public void Extract_FormerNameGivenByTheText_IsAnAliasOfTheCompany(string text, string name, string former)
    {
        var graph = Extract(text);

        var company = graph.EntityByKey(name);
        var alias = graph.EntityByKey(former);
        alias.Id.Should().NotBe(company.Id);
        graph.Labelled(RelationLabels.AliasOf).Should().ContainSingle(r => r.SourceId == alias.Id && r.TargetId == company.Id);
        graph.MentionsOf(company).Should().Contain(m => m.Text == former && m.Resolution == "alias:name");
    }

    [Fact]
    public void Extract_InstitutionNamedAfterAnUnknownOcean_HasNoPlaceInside()
    {
        var graph = Extract("The Nordvik Ocean Research Institute studies currents off the Atlantic Ocean coast.");

        graph.Entities.Should().NotContain(e => e.Key == "nordvik ocean");
        graph.Entity("Nordvik Ocean Research Institute").Type.Should().Be(EntityTypes.Organization);
    }

    [Fact]
    public void Extract_MonthAfterADatePreposition_IsNotPartOfTheNameAfterIt()
    {
        var graph = Extract("In November Harlow Dynamics published its annual report.");

        graph.Names().Should().Contain("Harlow Dynamics").And.NotContain(n => n.StartsWith("November", StringComparison.Ordinal));
    }
}
