using FluentAssertions;
using GraphRag.Graph.Model;
using GraphRag.Graph.Traversal;

namespace GraphRag.Graph.Tests;

/// <summary>
/// Personalised PageRank keeps what a walk reads of a node (degree, relation edges) in the snapshot, or in the mask
/// under a scope, for the walks after it. A walk must score exactly as on a snapshot no walk has touched, whatever
/// walked before it: other seeds, no mask, another mask, another co-occurrence factor.
/// </summary>
public sealed class PageRankWalkCacheTests
{
    private static readonly Dictionary<string, double> FromAda = new() { ["ada"] = 1 };
    private static readonly Dictionary<string, double> FromHopper = new() { ["hopper"] = 1, ["navy"] = 0.5 };

    [Fact]
    public void PersonalizedPageRank_WalkedAgainAfterOtherSeeds_ScoresAsOnAFreshSnapshot()
    {
        var snapshot = Build();
        snapshot.PersonalizedPageRank(FromHopper);
        snapshot.PersonalizedPageRank(FromAda, new Dictionary<string, double> { ["c3"] = 0.5 });

        var again = snapshot.PersonalizedPageRank(FromAda);

        Same(again, Build().PersonalizedPageRank(FromAda));
    }

    [Fact]
    public void PersonalizedPageRank_UnderAMaskAfterUnmaskedWalks_ScoresOnlyWhatTheMaskShows()
    {
        var snapshot = Build();
        snapshot.PersonalizedPageRank(FromAda);
        snapshot.PersonalizedPageRank(FromHopper, visibility: snapshot.CreateVisibility(_ => true));
        var withoutD2 = snapshot.CreateVisibility(document => document != "d2");

        var scoped = snapshot.PersonalizedPageRank(FromAda, visibility: withoutD2);

        var fresh = Build();
        Same(scoped, fresh.PersonalizedPageRank(FromAda, visibility: fresh.CreateVisibility(document => document != "d2")));
        scoped.Chunks.Keys.Should().OnlyContain(c => snapshot.DocumentOf(c) == "d1");
        scoped.Entities.Keys.Should().NotContain("navy", "only the hidden document mentions it");
        Same(snapshot.PersonalizedPageRank(FromAda), fresh.PersonalizedPageRank(FromAda));
    }

    [Fact]
    public void PersonalizedPageRank_WithAnotherCoOccurrenceFactor_ScoresAsOnAFreshSnapshot()
    {
        var snapshot = Build();
        snapshot.PersonalizedPageRank(FromAda);

        var weighted = snapshot.PersonalizedPageRank(FromAda, coOccurrenceFactor: 1.0);

        Same(weighted, Build().PersonalizedPageRank(FromAda, coOccurrenceFactor: 1.0));
        Same(snapshot.PersonalizedPageRank(FromAda), Build().PersonalizedPageRank(FromAda));
    }

    private static void Same(PageRankScores actual, PageRankScores expected)
    {
        actual.Entities.Should().Equal(expected.Entities);
        actual.Chunks.Should().Equal(expected.Chunks);
        actual.Entities.Keys.Should().Equal(expected.Entities.Keys, "scores are listed in the order nodes were first pushed");
    }

    /// <summary>Two documents: d1 (c1, c2) about Ada and Babbage, d2 (c3) about Hopper and the navy, which also names Ada.</summary>
    private static GraphSnapshot Build() => new(
        1,
        [
            new EntityNode("ada", "ada", "Ada Lovelace", EntityTypes.Person),
            new EntityNode("babbage", "babbage", "Charles Babbage", EntityTypes.Person),
            new EntityNode("hopper", "hopper", "Grace Hopper", EntityTypes.Person),
            new EntityNode("navy", "navy", "US Navy", EntityTypes.Organization),
        ],
        [("c1", "d1"), ("c2", "d1"), ("c3", "d2")],
        [
            ("ada", "c1", "ada", "Ada", 2),
            ("babbage", "c1", "babbage", "Babbage", 1),
            ("ada", "c2", "ada", "Ada", 1),
            ("babbage", "c2", "babbage", "Babbage", 3),
            ("hopper", "c3", "hopper", "Hopper", 2),
            ("navy", "c3", "navy", "navy", 1),
            ("ada", "c3", "ada", "Ada", 1),
        ],
        [
            ("r1", "ada", "babbage", "worked_with", 2.0, ["c1", "c2"]),
            ("r2", "ada", "babbage", RelationLabels.CoOccurs, 3.0, ["c1", "c2"]),
            ("r3", "hopper", "navy", "member_of", 1.0, ["c3"]),
            ("r4", "ada", "hopper", RelationLabels.CoOccurs, 1.0, ["c3"]),
            ("r5", "hopper", "ada", "inspired_by", 1.5, ["c3"]),
        ]);
}
