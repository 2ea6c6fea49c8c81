using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Graph.Persistence;
using GraphRag.Graph.Rows;
using GraphRag.Graph.Vectors;

namespace GraphRag.Graph.Tests;

public sealed class VectorIndexTests
{
    private const int Dimensions = 384;

    [Fact]
    public void Quantise_UnitVector_RoundTripsWithinHalfAStep()
    {
        var vector = RandomVectors(1, 7)[0];
        var (values, scale) = ChunkVector.Quantise(vector);
        var norm = MathF.Sqrt(vector.Sum(v => v * v));

        values.Select(v => Math.Abs((int)v)).Max().Should().Be(127);
        for (var i = 0; i < vector.Length; i++)
        {
            (values[i] * scale).Should().BeApproximately(vector[i] / norm, scale / 2 + 1e-6f);
        }
    }

    [Fact]
    public void Quantise_ZeroVector_IsAllZerosWithScaleZero()
    {
        var (values, scale) = ChunkVector.Quantise(new float[8]);

        values.Should().OnlyContain(v => v == 0);
        scale.Should().Be(0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(384)]
    [InlineData(1000)]
    public void Dot_EqualsTheScalarSum(int length)
    {
        var random = new Random(length);
        var a = Enumerable.Range(0, length).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
        var b = Enumerable.Range(0, length).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();

        Int8Dot.Dot(a, b).Should().Be(a.Zip(b, (x, y) => x * y).Sum());
    }

    [Fact]
    public void Search_TopK_EqualsBruteForceFloatRankingWithinQuantisationTolerance()
    {
        var vectors = RandomVectors(3000, 11);
        var index = new VectorIndex();
        index.Apply(1, [], Documents(vectors, documents: 300));
        var probe = RandomVectors(1, 99)[0];

        var hits = index.Search(new VectorQuery(probe, 20));

        var exact = vectors.Select((v, i) => (Chunk: ChunkId(i), Similarity: Cosine(probe, v))).OrderByDescending(p => p.Similarity).ToList();
        hits.Should().HaveCount(20);
        hits.Select(h => h.Similarity).Should().BeInDescendingOrder();
        // Quantisation moves a similarity by well under 0.01: every hit is within that of the exact score, and the
        // hits are exactly the chunks above the 20th exact score, give or take that margin.
        const double Tolerance = 0.01;
        foreach (var hit in hits)
        {
            hit.Similarity.Should().BeApproximately(exact.First(e => e.Chunk == hit.ChunkId).Similarity, Tolerance);
        }

        var cut = exact[19].Similarity;
        exact.Where(e => e.Similarity > cut + Tolerance).Select(e => e.Chunk).Should().BeSubsetOf(hits.Select(h => h.ChunkId));
        hits.Should().OnlyContain(h => exact.First(e => e.Chunk == h.ChunkId).Similarity >= cut - Tolerance);
    }

    [Fact]
    public void Apply_AddsAndDeletesIncrementally_EqualToAFreshIndex()
    {
        var vectors = RandomVectors(2000, 5);
        var all = Documents(vectors, documents: 200);
        var incremental = new VectorIndex();
        incremental.Apply(1, [], all.Take(150));
        incremental.Apply(2, ["doc-0003", "doc-0042", "doc-0100"], []);
        incremental.Apply(3, [], all.Skip(150));
        // Replacing a document drops its old rows; deleting most documents compacts the partitions.
        incremental.Apply(4, [], [all[7] with { Vectors = all[8].Vectors.Select(v => v with { ChunkId = v.ChunkId + "-moved" }).ToList() }]);
        incremental.Apply(5, all.Skip(20).Take(170).Select(d => d.DocumentId), []);

        var kept = all.Take(20).Where(d => d.DocumentId is not ("doc-0003" or "doc-0007"))
            .Append(all[7] with { Vectors = all[8].Vectors.Select(v => v with { ChunkId = v.ChunkId + "-moved" }).ToList() })
            .Concat(all.Skip(190));
        var fresh = new VectorIndex();
        fresh.Apply(5, [], kept);
        var probe = RandomVectors(1, 3)[0];

        incremental.Count.Should().Be(fresh.Count).And.Be(kept.Sum(d => d.Vectors.Count));
        incremental.Search(new VectorQuery(probe, 50)).Should().Equal(fresh.Search(new VectorQuery(probe, 50)));
        incremental.Search(new VectorQuery(probe, 1000)).Should().NotContain(h => h.DocumentId == "doc-0042" || h.ChunkId.StartsWith("chk-0007-", StringComparison.Ordinal));
    }

    [Fact]
    public void Search_ScopedByAcl_ScoresOnlyReadablePartitions()
    {
        var vectors = RandomVectors(400, 21);
        var documents = Documents(vectors, documents: 40).Select((d, i) => d with { Acl = [i % 4 == 0 ? "tenant:a" : "tenant:b"] }).ToList();
        var index = new VectorIndex();
        index.Apply(1, [], documents);
        var work = new VectorWork();

        var hits = index.Search(new VectorQuery(vectors[5], 400) { CanReadAcl = acl => acl.Contains("tenant:a"), Work = work });

        hits.Should().HaveCount(100);
        hits.Select(h => int.Parse(h.DocumentId.AsSpan(4), System.Globalization.CultureInfo.InvariantCulture) % 4).Should().OnlyContain(r => r == 0);
        work.Vectors.Should().Be(100);
        work.Partitions.Should().Be(1);
    }

    [Fact]
    public void Search_DocumentFilter_ScoresOnlyThoseDocuments()
    {
        var vectors = RandomVectors(100, 8);
        var index = new VectorIndex();
        index.Apply(1, [], Documents(vectors, documents: 10));
        var work = new VectorWork();

        var hits = index.Search(new VectorQuery(vectors[0], 100) { DocumentIds = ["doc-0002", "doc-0009", "missing"], Work = work });

        hits.Select(h => h.DocumentId).Distinct().Should().BeEquivalentTo("doc-0002", "doc-0009");
        work.Vectors.Should().Be(20);
    }

    [Fact]
    public void VectorsOf_StoredChunks_GivesTheirVectorsInTheOrderAskedAndLeavesOutThoseNotHeld()
    {
        var vectors = RandomVectors(30, 4);
        var index = new VectorIndex();
        index.Apply(1, [], Documents(vectors, documents: 3));

        var found = index.VectorsOf([
            new StoredChunk(ChunkId(12), "doc-0001"),
            new StoredChunk("chk-missing", "doc-0001"),
            new StoredChunk(ChunkId(3), "doc-0000"),
            new StoredChunk(ChunkId(25), "doc-0009"),
        ]);

        found.Should().HaveCount(2);
        Cosine(found[0].ToArray(), vectors[12]).Should().BeGreaterThan(0.999);
        Cosine(found[1].ToArray(), vectors[3]).Should().BeGreaterThan(0.999);
    }

    [Fact]
    public void VectorsOf_AfterDeletesThatCompactThePartition_StillFindsTheLiveChunksAndNotTheDeletedOnes()
    {
        var vectors = RandomVectors(2000, 6);
        var index = new VectorIndex();
        index.Apply(1, [], Documents(vectors, documents: 200));

        // 1,500 dead rows outnumber the 500 live ones: the partition squeezes them out and its rows move.
        index.Apply(2, Enumerable.Range(0, 150).Select(d => $"doc-{d:D4}"), []);

        var found = index.VectorsOf([new StoredChunk(ChunkId(1999), "doc-0199"), new StoredChunk(ChunkId(5), "doc-0000")]);
        found.Should().ContainSingle();
        Cosine(found[0].ToArray(), vectors[1999]).Should().BeGreaterThan(0.999);
    }

    [Fact]
    public void Search_QueryOfAnotherLength_IsABrokenContract()
    {
        var index = new VectorIndex();
        index.Apply(1, [], Documents(RandomVectors(10, 1), documents: 1));

        var search = () => index.Search(new VectorQuery(new float[12], 5));

        search.Should().Throw<ArgumentException>().WithMessage("*12 dimensions*384*");
    }

    [Fact]
    public void WriteAndRead_RoundTripsTheIndex()
    {
        var vectors = RandomVectors(500, 13);
        var index = new VectorIndex();
        var documents = Documents(vectors, documents: 50).Select((d, i) => d with { Acl = [$"group:{i % 3}"] }).ToList();
        index.Apply(1, [], documents);
        index.Apply(2, ["doc-0001", "doc-0020"], []);
        using var stream = new MemoryStream();
        using (var binary = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            index.Write(new IndexWriter(binary));
        }

        stream.Position = 0;
        var read = VectorIndex.Read(new IndexReader(stream));
        var probe = RandomVectors(1, 77)[0];

        read.Generation.Should().Be(2);
        read.Dimensions.Should().Be(Dimensions);
        read.Count.Should().Be(index.Count).And.Be(480);
        read.Search(new VectorQuery(probe, 30)).Should().Equal(index.Search(new VectorQuery(probe, 30)));
        var scoped = new VectorQuery(probe, 30) { CanReadAcl = acl => acl.Contains("group:1") };
        read.Search(scoped).Should().Equal(index.Search(scoped));
    }

    internal static float[][] RandomVectors(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => Enumerable.Range(0, Dimensions).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray())
            .ToArray();
    }

    private static string ChunkId(int i) => $"chk-{i / 10:D4}-{i % 10:D2}";

    /// <summary>Vectors in order, ten chunks a document.</summary>
    private static List<DocumentRows> Documents(float[][] vectors, int documents) =>
        Enumerable.Range(0, documents)
            .Select(d => new DocumentRows($"doc-{d:D4}", "title", [], [], [], [], [])
            {
                Vectors = Enumerable.Range(d * 10, 10).Where(i => i < vectors.Length)
                    .Select(i => ChunkVector.Create(ChunkId(i), "hash-" + i, vectors[i]))
                    .ToList(),
            })
            .ToList();

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * (double)b[i];
            na += a[i] * (double)a[i];
            nb += b[i] * (double)b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }
}

public sealed class IndexFileVersionTests
{
    [Fact]
    public void Peek_AFileOfTheFormerVersion_IsNotTakenSoTheRowsAreReadInstead()
    {
        var path = Path.Combine(Path.GetTempPath(), $"graphrag-index-v1-{Environment.ProcessId}-{Guid.NewGuid():N}.index");
        try
        {
            using (var binary = new BinaryWriter(File.Create(path)))
            {
                binary.Write("GRAPHRAG-INDEX");
                binary.Write7BitEncodedInt(1);
                binary.Write7BitEncodedInt64(42);
                binary.Write("fingerprint");
            }

            IndexFile.Peek(path).Should().BeNull();
        }
        finally
        {
            File.Delete(path);
        }
    }
}
