using System.Text.Json;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Sqlite;
using GraphRag.Ingest.Pipeline;
using GraphRag.Ingest.Tests.Golden;

namespace GraphRag.Ingest.Tests.KnowledgeGraph;

/// <summary>
/// Deleting documents removes exactly their share of the graph, and ingesting them again restores the graph byte for
/// byte: entity totals, name and type votes and relation weights are kept incrementally, so this is where drift would show.
/// </summary>
public sealed class DeleteThenReingestTests : IAsyncLifetime
{
    /// <summary>Three documents that share entities and relations with the rest of the corpus.</summary>
    private static readonly string[] Deleted = ["companies/tidewater-robotics.md", "people/ingrid-halvorsen.md", "rec-news-001"];

    private readonly string _root = Directory.CreateTempSubdirectory("graphrag-delete-").FullName;
    private SqliteGraphStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(_root, "samples.db") });
        await SamplesCorpus.IngestAsync(_store, SamplesCorpus.Folder);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task DeleteAsync_ThreeSharedDocuments_RemovesExactlyTheirShareOfTheGraph()
    {
        Dictionary<string, EntityRow> entitiesBefore;
        Dictionary<string, RelationRow> relationsBefore;
        Dictionary<string, (int Mentions, int Documents)> mentionShares;
        Dictionary<string, (int Evidence, double Weight)> evidenceShares;
        using (var dump = await StoreDump.OpenAsync(_store.FilePath))
        {
            entitiesBefore = await dump.EntityRowsAsync();
            relationsBefore = await dump.RelationRowsAsync();
            mentionShares = await dump.MentionSharesAsync(Deleted);
            evidenceShares = await dump.EvidenceSharesAsync(Deleted);
        }

        var countsBefore = await _store.GetCountsAsync();
        var chunksOfDeleted = 0;
        foreach (var id in Deleted)
        {
            chunksOfDeleted += (await _store.GetDocumentChunksAsync(id)).Count;
        }

        await DeleteAsync(Deleted);

        using var after = await StoreDump.OpenAsync(_store.FilePath);
        (await after.RowsOfDocumentsAsync(Deleted)).Should().Be(0, "no row derived from a deleted document remains");
        foreach (var id in Deleted)
        {
            (await _store.GetDocumentAsync(id)).Should().BeNull();
        }

        var entitiesAfter = await after.EntityRowsAsync();
        var relationsAfter = await after.RelationRowsAsync();
        entitiesAfter.Keys.Should().BeSubsetOf(entitiesBefore.Keys, "deleting adds no entity");
        relationsAfter.Keys.Should().BeSubsetOf(relationsBefore.Keys, "deleting adds no relation");

        var failures = new List<string>();
        foreach (var (id, before) in entitiesBefore)
        {
            var share = mentionShares.GetValueOrDefault(id);
            entitiesAfter.TryGetValue(id, out var now);
            if (share.Mentions == 0 && now != before)
            {
                failures.Add($"entity {id} ({before.Name}) was not in the deleted documents but changed: {before} -> {now}");
            }
            else if (share.Mentions == before.MentionCount && now is not null)
            {
                failures.Add($"entity {id} ({before.Name}) was only in the deleted documents but is still stored");
            }
            else if (share.Mentions > 0 && share.Mentions < before.MentionCount
                     && (now is null || now.MentionCount != before.MentionCount - share.Mentions || now.DocumentCount != before.DocumentCount - share.Documents))
            {
                failures.Add($"entity {id} ({before.Name}) should have dropped by {share}: {before} -> {now}");
            }
        }

        foreach (var (id, before) in relationsBefore)
        {
            var share = evidenceShares.GetValueOrDefault(id);
            relationsAfter.TryGetValue(id, out var now);
            if (share.Evidence == 0 && now != before)
            {
                failures.Add($"relation {id} had no evidence in the deleted documents but changed: {before} -> {now}");
            }
            else if (share.Evidence == before.EvidenceCount && now is not null)
            {
                failures.Add($"relation {id} was supported only by the deleted documents but is still stored");
            }
            else if (share.Evidence > 0 && share.Evidence < before.EvidenceCount
                     && (now is null || now.EvidenceCount != before.EvidenceCount - share.Evidence || Math.Abs(now.Weight - (before.Weight - share.Weight)) > 1e-8))
            {
                failures.Add($"relation {id} should have dropped by {share}: {before} -> {now}");
            }
        }

        failures.Should().BeEmpty();

        // The deletion exercised every case: shared entities and relations lost a share, others went entirely.
        mentionShares.Should().Contain(s => s.Value.Mentions < entitiesBefore[s.Key].MentionCount, "some deleted entities are shared");
        mentionShares.Should().Contain(s => s.Value.Mentions == entitiesBefore[s.Key].MentionCount, "some entities occur only in the deleted documents");
        evidenceShares.Should().Contain(s => s.Value.Evidence < relationsBefore[s.Key].EvidenceCount, "some deleted relations are shared");
        evidenceShares.Should().Contain(s => s.Value.Evidence == relationsBefore[s.Key].EvidenceCount, "some relations rest only on the deleted documents");
        var mentions = await _store.GetMentionsAsync(new MentionQuery { EntityIds = mentionShares.Keys.ToList(), Limit = 1_000_000 });
        mentions.Should().NotContain(m => Deleted.Contains(m.Span.DocumentId));
        (await _store.GetCountsAsync()).Should().Be(new StoreCounts(
            countsBefore.Documents - Deleted.Length,
            countsBefore.Chunks - chunksOfDeleted,
            entitiesAfter.Count,
            relationsAfter.Count));
    }

    [Fact]
    public async Task DeleteAsync_ThenReingestCorpus_GivesByteIdenticalStatsEntitiesAndRelations()
    {
        var before = await CaptureAsync();

        await DeleteAsync(Deleted);
        var deleted = await CaptureAsync();
        var results = await SamplesCorpus.IngestAsync(_store, SamplesCorpus.Folder);

        results.Where(r => r.Status == IngestStatus.Added).Select(r => r.DocumentId).Should().BeEquivalentTo(Deleted);
        results.Where(r => r.Status != IngestStatus.Added).Should().OnlyContain(r => r.Status == IngestStatus.Unchanged);
        deleted.Stats.Should().NotBe(before.Stats);
        var again = await CaptureAsync();
        again.Stats.Should().Be(before.Stats);
        again.Entities.Should().Be(before.Entities);
        again.Relations.Should().Be(before.Relations);
    }

    private async Task DeleteAsync(IEnumerable<string> documentIds)
    {
        foreach (var id in documentIds)
        {
            (await _store.DeleteAsync(id)).Should().BeTrue("'{0}' is a document of the corpus", id);
        }
    }

    /// <summary>The counts as <c>stats --json</c> prints them, and dumps of the entity and relation tables.</summary>
    private async Task<(string Stats, string Entities, string Relations)> CaptureAsync()
    {
        var counts = await _store.GetCountsAsync();
        var stats = JsonSerializer.Serialize(new { documents = counts.Documents, chunks = counts.Chunks, entities = counts.Entities, relations = counts.Relations });
        using var dump = await StoreDump.OpenAsync(_store.FilePath);
        return (stats, await dump.EntitiesAsync(), await dump.RelationsAsync());
    }
}
