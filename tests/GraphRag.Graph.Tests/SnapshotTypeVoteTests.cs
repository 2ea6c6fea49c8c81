using GraphRag.Graph.Model;
using GraphRag.Graph.Traversal;

namespace GraphRag.Graph.Tests;

/// <summary>An entity typed Person by one document and Location by two: each caller sees its own documents' vote.</summary>
public sealed class SnapshotTypeVoteTests
{
    private static GraphSnapshot Snapshot() => new(
        1,
        [new EntityNode("e1", "mary douglass reid", "Mary Douglass Reid", EntityTypes.Location)],
        [("c-a", "doc-a"), ("c-b1", "doc-b1"), ("c-b2", "doc-b2")],
        [
            ("e1", "c-a", "mary douglass reid", "Mary Douglass Reid", 2),
            ("e1", "c-b1", "mary douglass reid", "Mary Douglass Reid", 1),
            ("e1", "c-b2", "mary douglass reid", "Mary Douglass Reid", 1),
        ],
        [],
        typeVotes:
        [
            ("e1", "doc-a", EntityTypes.Person, 2),
            ("e1", "doc-b1", EntityTypes.Location, 1),
            ("e1", "doc-b2", EntityTypes.Location, 1),
        ]);

    [Fact]
    public void TypeOf_FollowsTheReadableDocumentsVote()
    {
        var snapshot = Snapshot();
        var a = snapshot.CreateVisibility(d => d == "doc-a");
        var b = snapshot.CreateVisibility(d => d != "doc-a");

        snapshot.TypeOf("e1").Should().Be(EntityTypes.Location);
        snapshot.TypeOf("e1", snapshot.CreateVisibility(_ => true)).Should().Be(EntityTypes.Location);
        snapshot.TypeOf("e1", a).Should().Be(EntityTypes.Person);
        snapshot.TypeOf("e1", b).Should().Be(EntityTypes.Location);
        snapshot.TypeOf("e1", snapshot.CreateVisibility(_ => false)).Should().BeNull();
    }

    [Fact]
    public void ShortenedPersonName_LinksOnlyForCallersWhoSeeAPerson()
    {
        var snapshot = Snapshot();

        snapshot.LookupKey("mary reid").Should().BeEmpty("the stored type is Location");
        snapshot.LookupKey("mary reid", snapshot.CreateVisibility(d => d != "doc-a")).Should().BeEmpty();
        snapshot.LookupKey("mary reid", snapshot.CreateVisibility(d => d == "doc-a")).Should().ContainSingle()
            .Which.Entity.Type.Should().Be(EntityTypes.Person);
    }
}
