using GraphRag.Graph.Model;
using static GraphRag.Ingest.Tests.Extraction.ExtractionFixtures;

namespace GraphRag.Ingest.Tests.Extraction;

/// <summary>Regressions found on the shared corpora, each named after what broke.</summary>
public sealed class RegressionTests
{
    [Fact]
    public void Extract_OfAfterAPlainName_DoesNotJoinTwoNames()
    {
        var graph = Extract("Settlers did not conform to the dominant Anglicanism of Britain and her colonies.");

        graph.Names().Should().Contain(["Anglicanism", "Britain"]);
    }

    [Fact]
    public void Extract_AndBetweenTwoCompleteInstitutions_GivesBoth()
    {
        var graph = Extract("The Statue of Liberty National Monument and Ellis Island Immigration Museum are managed by the National Park Service.");

        graph.Names().Should().Contain(["Statue of Liberty National Monument", "Ellis Island Immigration Museum", "National Park Service"]);
    }

    [Fact]
    public void Extract_PlaceInsideLongerName_IsNestedMention()
    {
        var document = Document("The Ellis Island Immigration Museum opened near the New Jersey Nets arena.");
        var graph = Default.Extract(document, WholeChunk(document));

        graph.Entity("Ellis Island").Type.Should().Be(EntityTypes.Location);
        graph.Entity("New Jersey").Type.Should().Be(EntityTypes.Location);
        graph.Names().Should().Contain(["Ellis Island Immigration Museum", "New Jersey Nets"]);
        graph.Relations.Should().NotContain(r => r.SourceId == r.TargetId);
    }

    [Fact]
    public void Extract_UniversityCommaThenClause_DoesNotSwallowTheSubject()
    {
        var graph = Extract("At the University of Vienna, Hayek earned doctorates in law.");

        graph.Names().Should().Contain("University of Vienna");
        graph.Names().Should().NotContain("University of Vienna, Hayek");
    }

    [Fact]
    public void Extract_BiographyNamingSubjectBySurnameOnly_AnchorsTitle()
    {
        var graph = Extract("At the University of Vienna, Hayek earned doctorates in law. Hayek later taught in London.", title: "Friedrich Hayek");

        var hayek = graph.Entity("Friedrich Hayek");
        hayek.Type.Should().Be(EntityTypes.Person);
        graph.MentionsOf(hayek).Should().HaveCount(2).And.OnlyContain(m => m.Text == "Hayek" && m.Resolution == "alias:surname");
    }

    [Fact]
    public void Extract_SurnameOfRegnalName_ResolvesToFullName()
    {
        var graph = Extract("Aschenbrödel is a ballet written by Johann Strauss II. However, Strauss died in 1899.");

        graph.Mentions.Single(m => m.Text == "Strauss").EntityId.Should().Be(graph.Entity("Johann Strauss II").Id);
    }

    [Fact]
    public void Extract_ListOfCountries_IsNotAChainOfLocatedIn()
    {
        var graph = Extract("Members include Greece, Ireland, Italy, Latvia and Lithuania. Columbus, Ohio is a city.");

        graph.Labelled("located_in").Should().ContainSingle()
            .Which.Should().Match<Relation>(r => r.SourceId == graph.Entity("Columbus").Id && r.TargetId == graph.Entity("Ohio").Id);
    }

    [Fact]
    public void Extract_CoordinatedPredicate_BelongsToSentenceSubject()
    {
        var graph = Extract("Ramesh Kumar is a politician from Madhya Pradesh and is a member of the Bharatiya Janata Party.");

        var relation = graph.Labelled("member_of").Should().ContainSingle().Subject;
        relation.SourceId.Should().Be(graph.Entity("Ramesh Kumar").Id);
        relation.TargetId.Should().Be(graph.Entity("Bharatiya Janata Party").Id);
    }

    [Fact]
    public void Extract_SecondParticipleAfterAnd_BelongsToTheWork()
    {
        var graph = Extract("The Freshman is a 1925 comedy film directed by Fred Newmeyer and written by Sam Taylor.");

        graph.Labelled("written_by").Should().ContainSingle()
            .Which.SourceId.Should().Be(graph.EntityByKey("The Freshman").Id);
        graph.Labelled("directed_by").Should().ContainSingle()
            .Which.TargetId.Should().Be(graph.Entity("Fred Newmeyer").Id);
    }

    [Fact]
    public void Extract_OfficeFollowedByPersonName_SplitsAtGivenName()
    {
        var graph = Extract("The memoir was written by former Vice President of the United States Dick Cheney.");

        graph.Names().Should().Contain("Dick Cheney");
    }

    [Fact]
    public void Extract_PossessiveSubject_GivesNoCueRelation()
    {
        var graph = Extract("France's highest courts are located in Paris.");

        graph.Labelled("located_in").Should().BeEmpty();
    }

    [Fact]
    public void Extract_IncorporatedSuffixBeforeSentence_EndsTheName()
    {
        var graph = Extract("The game was published by Atari, Inc. The game was released in March 2005.");

        graph.Names().Should().Contain("Atari, Inc.");
        graph.Names().Should().NotContain(n => n.EndsWith("The", StringComparison.Ordinal));
    }

    [Fact]
    public void Extract_MentionInsideBrackets_IsNotSubjectOfFollowingCue()
    {
        var graph = Extract("They are members of the National Basketball Association (NBA), as well as an original member of the American Basketball Association.");

        graph.Labelled("member_of").Should().NotContain(r => r.SourceId == graph.Entity("NBA").Id);
    }
}

public sealed class SentenceStartRegressionTests
{
    [Fact]
    public void Extract_SentenceStartingWithHeadOfName_KeepsWholeName()
    {
        var graph = ExtractionFixtures.Extract("Bank of America reported a loss. Battle of Hastings was fought in 1066.");

        graph.Names().Should().Contain(["Bank of America", "Battle of Hastings"]);
    }

    [Fact]
    public void Extract_SentenceStartingWithCommonNoun_IsNotEntity()
    {
        var graph = ExtractionFixtures.Extract("Damage was estimated at $4 million in Dallas.");

        graph.Names().Should().NotContain("Damage");
        graph.Names().Should().Contain("Dallas");
    }

    [Fact]
    public void Extract_DayRange_IsOneDate()
    {
        var graph = ExtractionFixtures.Extract("The outbreak struck Texas on March 21–22, 1932.");

        graph.Mentions.Should().Contain(m => m.Text == "March 21–22, 1932" && m.Type == GraphRag.Graph.Model.EntityTypes.Date);
        graph.Names().Should().Contain(["1932-03-21", "1932"]);
    }

    [Fact]
    public void Extract_StateNamedWithDirection_HasNoNestedState()
    {
        var graph = ExtractionFixtures.Extract("The storm hit West Virginia and the Middle Atlantic coast.");

        graph.Names().Should().Contain("West Virginia");
        graph.Names().Should().NotContain(["Virginia", "Atlantic"]);
    }
}
