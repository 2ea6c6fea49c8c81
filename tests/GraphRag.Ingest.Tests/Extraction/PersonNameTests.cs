using GraphRag.Graph.Model;
using static GraphRag.Ingest.Tests.Extraction.ExtractionFixtures;

namespace GraphRag.Ingest.Tests.Extraction;

/// <summary>People named in part: surnames with particles, initials, surnames of names the lexicon does not know.</summary>
public sealed class PersonNameTests
{
    [Theory]
    [InlineData("Jan van den Heuvel was born in Delft in 1950. Van den Heuvel studied law.", "Jan van den Heuvel", "Van den Heuvel")]
    [InlineData("Inés de la Cruz sings. In 2001 De la Cruz moved to Lima.", "Inés de la Cruz", "De la Cruz")]
    public void Extract_SurnameWithCapitalisedParticles_IsTheFullNameWithItsWholeSpan(string text, string person, string surname)
    {
        var graph = Extract(text);

        var entity = graph.Entity(person);
        graph.MentionsOf(entity).Should().ContainSingle(m => m.Text == surname && m.Resolution == "alias:surname");
    }

    [Fact]
    public void Extract_NameWrittenInFullAndByInitials_IsOnePersonAndTheSurnameResolves()
    {
        var graph = Extract(
            "Mary Ann Kowalczyk, who signs her papers \"M. A. Kowalczyk\", is a chemist. Kowalczyk joined the laboratory in 1998.",
            title: "M. A. Kowalczyk");

        var person = graph.EntityByKey("M. A. Kowalczyk");
        graph.MentionsOf(person).Select(m => m.Text).Should().Contain(["Mary Ann Kowalczyk", "Kowalczyk"]);
        graph.Entities.Should().NotContain(e => e.Key == "mary ann kowalczyk" || e.Key == "kowalczyk");
    }

    [Fact]
    public void Extract_SurnameReusedWhileTheFirstNameNeverIs_ResolvesToThePerson()
    {
        var graph = Extract("Tuva Rasmussen opened the bakery in 2004. Rasmussen later sold it to her nephew.");

        graph.MentionsOf(graph.Entity("Tuva Rasmussen")).Should().Contain(m => m.Text == "Rasmussen" && m.Resolution == "alias:surname");
    }

    [Fact]
    public void Extract_FirstWordReusedAlone_IsNotTakenForASurname()
    {
        var graph = Extract("Tarnby Glass opened a shop in 2004. Tarnby later sold it. Glass is fragile.");

        graph.Mentions.Where(m => m.Text == "Glass").Should().OnlyContain(m => m.Resolution != "alias:surname");
    }
}
