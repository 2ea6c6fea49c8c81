using GraphRag.Graph;
using GraphRag.Graph.Model;
using GraphRag.Graph.Sqlite;
using GraphRag.Ingest.Tests.Golden;
using Microsoft.Data.Sqlite;

namespace GraphRag.Ingest.Tests.KnowledgeGraph;

/// <summary>
/// A run into an empty store is a bulk load (rows appended, totals and secondary indexes built once at its end); a run
/// into a store that already holds documents keeps every total batch by batch. Both must store the same rows.
/// </summary>
public sealed class BulkLoadEquivalenceTests : IDisposable
{
    /// <summary>Every table that derives from the documents, each with the columns that do not depend on write order.</summary>
    private static readonly (string Table, string Columns)[] Tables =
    [
        ("documents", "*"),
        ("chunks", "id, document_id, ordinal, start_offset, end_offset, token_count, page, section, text"),
        ("entities", "*"),
        ("document_entities", "*"),
        ("entity_votes", "*"),
        ("mentions", "*"),
        ("relations", "*"),
        ("relation_evidence", "*"),
        ("chunk_vectors", "*"),
        ("extraction_cache", "*"),
    ];

    private readonly string _folder = Directory.CreateTempSubdirectory("graphrag-bulk-equal-").FullName;

    [Fact]
    public async Task Ingest_IntoEmptyStore_StoresTheSameRowsTableByTableAsIngestingIncrementally()
    {
        var bulkPath = Path.Combine(_folder, "bulk.db");
        var incrementalPath = Path.Combine(_folder, "incremental.db");
        await using (var bulk = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = bulkPath }))
        {
            await SamplesCorpus.IngestAsync(bulk, SamplesCorpus.Folder);
        }

        await using (var incremental = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = incrementalPath }))
        {
            // A store that holds a document is never bulk loaded: the corpus goes in with its totals kept per batch.
            await incremental.UpsertAsync(Placeholder());
            await SamplesCorpus.IngestAsync(incremental, SamplesCorpus.Folder);
            (await incremental.DeleteAsync(Placeholder().Document.Id)).Should().BeTrue();
        }

        SqliteConnection.ClearAllPools();
        using var bulkDump = await StoreDump.OpenAsync(bulkPath);
        using var incrementalDump = await StoreDump.OpenAsync(incrementalPath);
        var failures = new List<string>();
        foreach (var (table, columns) in Tables)
        {
            var expected = await incrementalDump.TableAsync(table, columns);
            var actual = await bulkDump.TableAsync(table, columns);
            if (actual != expected)
            {
                failures.Add($"{table} differs:\nbulk:\n{Head(actual)}\nincremental:\n{Head(expected)}");
            }
        }

        failures.Should().BeEmpty();
        (await bulkDump.TableAsync("relations", "*")).Should().NotBeEmpty("the corpus has relations to compare");
        (await bulkDump.TableAsync("entity_votes", "*")).Should().NotBeEmpty("the corpus has votes to compare");
    }

    private static DocumentBundle Placeholder()
    {
        const string text = "A placeholder.";
        var document = new Document
        {
            Id = "placeholder",
            Source = "placeholder",
            Title = "placeholder",
            MediaType = "text/plain",
            Text = text,
            ContentHash = StableId.Hash(text, "placeholder"),
            Metadata = new Dictionary<string, string>(),
        };
        Chunk[] chunks =
        [
            new()
            {
                Id = StableId.Create("chk", "placeholder", "0", text),
                DocumentId = "placeholder",
                Ordinal = 0,
                Start = 0,
                End = text.Length,
                Text = text,
                TokenCount = 2,
            },
        ];
        return new DocumentBundle(document, chunks, DocumentGraph.Empty, "placeholder-pipeline");
    }

    private static string Head(string dump) => string.Join('\n', dump.Split('\n').Take(5));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
