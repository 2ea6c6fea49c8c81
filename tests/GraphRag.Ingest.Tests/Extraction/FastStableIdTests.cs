using GraphRag.Graph;
using GraphRag.Ingest.Extraction;

namespace GraphRag.Ingest.Tests.Extraction;

public sealed class FastStableIdTests
{
    [Theory]
    [InlineData("doc-1", "0", "12")]
    [InlineData("ent_0123", "co_occurs", "ent_4567")]
    [InlineData("", "", "")]
    [InlineData("Aschenbrödel", "第二十四届", "'}) DETACH DELETE n //")]
    public void Create_ThreeParts_EqualsStableId(string a, string b, string c)
    {
        FastStableId.Create("men", a, b, c).Should().Be(StableId.Create("men", a, b, c));
    }

    [Theory]
    [InlineData("johann strauss ii")]
    [InlineData("lucía de la vega")]
    [InlineData("")]
    public void Create_OnePart_EqualsStableId(string key)
    {
        FastStableId.Create("ent", key).Should().Be(StableId.Create("ent", key));
    }

    [Fact]
    public void Create_PartsLongerThanTheStackBuffer_EqualsStableId()
    {
        var text = new string('ß', 700);

        FastStableId.Create("rel", text, "x", text).Should().Be(StableId.Create("rel", text, "x", text));
        FastStableId.Create("ent", text).Should().Be(StableId.Create("ent", text));
    }
}

public sealed class EntityKeyFoldingTests
{
    [Theory]
    [InlineData("Aschenbrödel", "aschenbrodel")]
    [InlineData("Lucía de la Vega", "lucia de la vega")]
    [InlineData("Akinoshū Kenji", "akinoshu kenji")]
    [InlineData("Nguyễn Văn Thiệu", "nguyen van thieu")]
    [InlineData("Ångström", "angstrom")]
    public void Normalize_PrecomposedLettersUnderInvariantGlobalization_FoldToBaseLetters(string name, string key)
    {
        GraphRag.Graph.EntityKey.Normalize(name).Should().Be(key);
    }

    [Fact]
    public void Extract_NameWithAndWithoutDiacritics_SameEntityId()
    {
        var first = ExtractionFixtures.Extract("The ballet Aschenbrödel premiered in Vienna.", id: "a");
        var second = ExtractionFixtures.Extract("Who composed Aschenbrodel?", id: "b");

        first.Entities.Single(e => e.Name == "Aschenbrödel").Id.Should().Be(second.Entities.Single(e => e.Name == "Aschenbrodel").Id);
    }
}
