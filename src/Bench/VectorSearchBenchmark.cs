using System.Diagnostics;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Graph.Rows;
using GraphRag.Graph.Vectors;

namespace GraphRag.Bench;

/// <summary>What one vector-search measurement found.</summary>
/// <param name="Vectors">Vectors in the index.</param>
/// <param name="Dimensions">Their length.</param>
/// <param name="Partitions">Access partitions they were spread over.</param>
/// <param name="BuildMilliseconds">Time to add them all.</param>
/// <param name="ManagedMegabytes">Managed heap after the build (index and ids).</param>
/// <param name="UnscopedP50">Median time of an unscoped top-10 search, in milliseconds.</param>
/// <param name="UnscopedP95">95th percentile of the same.</param>
/// <param name="ScopedP50">Median time of a top-10 search scoped to one partition.</param>
/// <param name="VectorsPerSecond">Vectors scored per second by the unscoped search.</param>
public sealed record VectorSearchMeasurement(
    int Vectors, int Dimensions, int Partitions, long BuildMilliseconds, long ManagedMegabytes,
    double UnscopedP50, double UnscopedP95, double ScopedP50, double VectorsPerSecond);

/// <summary>
/// Exact search over random unit vectors (the worst case: no structure to exploit), timed with a stopwatch. Not a
/// test: numbers depend on the machine. Run from a console: <c>VectorSearchBenchmark.Measure(1_000_000, 384)</c>.
/// </summary>
public static class VectorSearchBenchmark
{
    public static VectorSearchMeasurement Measure(int vectors, int dimensions = 384, int partitions = 10, int queries = 30, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vectors, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        var random = new Random(seed);
        using var index = new VectorIndex();
        var clock = Stopwatch.StartNew();
        const int ChunksPerDocument = 20;
        var batch = new List<DocumentRows>();
        var buffer = new float[dimensions];
        for (var start = 0; start < vectors; start += ChunksPerDocument)
        {
            var document = $"doc-{start / ChunksPerDocument:D7}";
            var chunks = new List<ChunkVector>(ChunksPerDocument);
            for (var i = start; i < Math.Min(vectors, start + ChunksPerDocument); i++)
            {
                Fill(random, buffer);
                chunks.Add(ChunkVector.Create($"chk-{i:D8}", "h", buffer));
            }

            batch.Add(new DocumentRows(document, document, [$"tenant:{start / ChunksPerDocument % partitions}"], [], [], [], []) { Vectors = chunks });
            if (batch.Count == 1024)
            {
                index.Apply(0, [], batch);
                batch.Clear();
            }
        }

        index.Apply(1, [], batch);
        batch.Clear();
        var build = clock.ElapsedMilliseconds;
        GC.Collect();
        var megabytes = GC.GetTotalMemory(forceFullCollection: true) / (1024 * 1024);

        var probes = Enumerable.Range(0, queries + 3).Select(_ => { var p = new float[dimensions]; Fill(random, p); return p; }).ToList();
        var unscoped = Time(index, probes, q => new VectorQuery(q, 10));
        var scoped = Time(index, probes, q => new VectorQuery(q, 10) { CanReadAcl = acl => acl.Contains("tenant:0") });
        var p50 = Percentile(unscoped, 0.5);
        return new VectorSearchMeasurement(
            vectors, dimensions, partitions, build, megabytes, p50, Percentile(unscoped, 0.95), Percentile(scoped, 0.5), Math.Round(vectors / (p50 / 1000)));
    }

    private static List<double> Time(VectorIndex index, List<float[]> probes, Func<float[], VectorQuery> query)
    {
        var times = new List<double>();
        for (var i = 0; i < probes.Count; i++)
        {
            var clock = Stopwatch.StartNew();
            var hits = index.Search(query(probes[i]));
            clock.Stop();
            if (hits.Count == 0)
            {
                throw new InvalidOperationException("The search found nothing.");
            }

            // The first few warm the JIT and caches.
            if (i >= 3)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        return times;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return Math.Round(sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))], 3);
    }

    private static void Fill(Random random, float[] vector)
    {
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)((random.NextDouble() * 2) - 1);
        }
    }
}
