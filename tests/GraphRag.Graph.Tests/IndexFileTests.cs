using System.Globalization;
using System.Text;
using GraphRag.Conformance;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Sqlite;
using GraphRag.Graph.Traversal;

namespace GraphRag.Graph.Tests;

/// <summary>
/// The index file beside the store: a new process takes the indexes from it instead of reading every row, but only
/// when it belongs to this store at a generation the change log still covers; anything else falls back to the rows.
/// Either way the indexes answer exactly as ones built from the rows.
/// </summary>
public sealed class IndexFileTests() : StoreFolderTests("graphrag-indexfile-")
{
    [Fact]
    public async Task Reopen_LoadsTheIndexFileAndAnswersAsTheRowsDo()
    {
        var path = Path.Combine(Folder, "store.db");
        string before;
        await using (var store = await OpenAsync(path))
        {
            await WriteCorpusAsync(store, "a");
            before = await DescribeAsync(store);
            store.Indexes.LoadedFrom.Should().Be("rows");
        }

        File.Exists(path + ".index").Should().BeTrue();
        await using var reopened = await OpenAsync(path);
        var after = await DescribeAsync(reopened);

        reopened.Indexes.LoadedFrom.Should().Be("file");
        after.Should().Be(before);
    }

    [Fact]
    public async Task IndexFile_BehindTheStore_IsCaughtUpFromTheChangeLog()
    {
        var path = Path.Combine(Folder, "behind.db");
        await using (var store = await OpenAsync(path))
        {
            await WriteCorpusAsync(store, "a");
            await store.GetSnapshotAsync();
        }

        // Another process writes without loading the indexes: the file is now behind the store.
        await using (var other = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = path }))
        {
            await WriteCorpusAsync(other, "b");
            await other.DeleteAsync("a/0");
            await other.UpsertAsync(Bundles.WithEntities("a/1", "Mary Somerville corresponded with Ada Lovelace in London.", "Mary Somerville", "Ada Lovelace", "London"));
        }

        await using var caughtUp = await OpenAsync(path);
        var fromFile = await DescribeAsync(caughtUp);
        caughtUp.Indexes.LoadedFrom.Should().Be("file");

        File.Delete(path + ".index");
        await using var fromRows = await OpenAsync(path);
        (await DescribeAsync(fromRows)).Should().Be(fromFile);
        fromRows.Indexes.LoadedFrom.Should().Be("rows");
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("garbage")]
    [InlineData("other-store")]
    public async Task UnusableIndexFile_IsIgnoredAndTheRowsAreRead(string damage)
    {
        var path = Path.Combine(Folder, damage + ".db");
        string expected;
        await using (var store = await OpenAsync(path))
        {
            await WriteCorpusAsync(store, "a");
            expected = await DescribeAsync(store);
        }

        var file = path + ".index";
        switch (damage)
        {
            case "truncated":
                await File.WriteAllBytesAsync(file, (await File.ReadAllBytesAsync(file))[..^200]);
                break;
            case "garbage":
                var bytes = await File.ReadAllBytesAsync(file);
                for (var i = 100; i < bytes.Length; i += 97)
                {
                    bytes[i] ^= 0x5a;
                }

                await File.WriteAllBytesAsync(file, bytes);
                break;
            default:
                // The index file of another store with the same history length.
                var otherPath = Path.Combine(Folder, "other.db");
                await using (var other = await OpenAsync(otherPath))
                {
                    await WriteCorpusAsync(other, "x");
                    await other.GetSnapshotAsync();
                }

                File.Copy(otherPath + ".index", file, overwrite: true);
                break;
        }

        await using var reopened = await OpenAsync(path);

        (await DescribeAsync(reopened)).Should().Be(expected);
        reopened.Indexes.LoadedFrom.Should().Be("rows");
    }

    private async Task<SqliteGraphStore> OpenAsync(string path) => await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = path });

    private static async Task WriteCorpusAsync(SqliteGraphStore store, string prefix)
    {
        string[] texts =
        [
            "Ada Lovelace met Charles Babbage in London.",
            "Charles Babbage designed the Analytical Engine in London.",
            "Mary Somerville introduced Ada Lovelace to Charles Babbage.",
        ];
        string[][] names = [["Ada Lovelace", "Charles Babbage", "London"], ["Charles Babbage", "Analytical Engine", "London"], ["Mary Somerville", "Ada Lovelace", "Charles Babbage"]];
        for (var i = 0; i < texts.Length; i++)
        {
            var bundle = Bundles.WithEntities($"{prefix}/{i}", texts[i], names[i]);
            await store.UpsertAsync(bundle with { Document = bundle.Document with { Acl = i == 2 ? ["group:b"] : [] } });
        }
    }

    /// <summary>Everything a caller can observe of the indexes, as text: entities, neighbours, PageRank and search.</summary>
    private static async Task<string> DescribeAsync(SqliteGraphStore store)
    {
        var snapshot = await store.GetSnapshotAsync();
        var text = new StringBuilder();
        var masked = snapshot.CreateVisibility(document => !document.EndsWith('2'));
        foreach (var visibility in new[] { null, masked })
        {
            foreach (var label in snapshot.TopEntities(null, 100, visibility))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"{label.Id} {label.Name} {label.Type} {string.Join('|', label.Aliases)} {label.Mentions} {label.Chunks} {label.Documents}");
                foreach (var neighbour in snapshot.Neighbours(label.Id, visibility))
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"  {neighbour.RelationId} {neighbour.Label} {neighbour.Entity.Id} {neighbour.Weight:R}");
                }
            }

            var seeds = snapshot.LookupKey("ada lovelace", visibility).ToDictionary(l => l.Entity.Id, _ => 1.0);
            var rank = snapshot.PersonalizedPageRank(seeds, visibility: visibility);
            foreach (var (id, score) in rank.Entities.Concat(rank.Chunks).OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  rank {id} {score:R}");
            }
        }

        foreach (var hit in await store.SearchAsync(new LexicalQuery(["babbage", "london", "engine"], ["Ada Lovelace"], 20)))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"hit {hit.ChunkId} {hit.DocumentId} {hit.Score:R}");
        }

        foreach (var hit in await store.SearchAsync(new LexicalQuery(["babbage"], [], 20) { CanReadAcl = acl => acl.Count == 0 }))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"scoped {hit.ChunkId} {hit.Score:R}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"{snapshot.EntityCount} {snapshot.ChunkCount} {snapshot.RelationCount} {snapshot.MaxKeyWords}");
        text.AppendLine(string.Join(',', snapshot.LookupPrefix("c").Select(p => p.Entity.Id)));
        return text.ToString();
    }
}
