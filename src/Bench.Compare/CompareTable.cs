using System.Globalization;

namespace GraphRag.Bench.Compare;

/// <summary>The plain-text table of a run: one row per figure, one column per dataset, as the README shows it.</summary>
public static class CompareTable
{
    public static IEnumerable<string> Lines(IReadOnlyList<CompareReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Count == 0)
        {
            yield break;
        }

        var c = CultureInfo.InvariantCulture;
        yield return CompareBenchmark.WarmupNote;
        yield return "Lucene.NET 4.8.0-beta00018: EnglishAnalyzer, BM25Similarity, title+text in one field, FSDirectory in a temporary folder, top 10";
        yield return "project: default SQLite store in a temporary folder, graph on; queries on the store with embeddings "
            + (reports[0].IngestEmbeddings is null ? "off" : "on") + $", {reports[0].Hybrid.Mode} with the eval's hops";
        yield return Row("figure", reports.Select(r => r.Dataset));
        yield return Row("documents / questions", reports.Select(r => string.Create(c, $"{r.Lucene.Documents} / {r.Questions}")));
        yield return Row("Lucene index s", reports.Select(r => r.Lucene.IndexSeconds.ToString("F2", c)));
        yield return Row("Lucene query mean / p50 ms", reports.Select(r => string.Create(c, $"{r.Lucene.MeanMilliseconds:F2} / {r.Lucene.P50Milliseconds:F2}")));
        yield return Row("Lucene recall@5", reports.Select(r => r.Lucene.RecallAt5.ToString("F3", c)));
        yield return Row("ingest, graph, no embeddings s", reports.Select(r => string.Create(c, $"{r.IngestGraph.IngestSeconds:F2} (pipeline {r.IngestGraph.IngestRunSeconds:F2})")));
        yield return Row("ingest, graph + embeddings s", reports.Select(r => r.IngestEmbeddings is { } e ? string.Create(c, $"{e.IngestSeconds:F2} (pipeline {e.IngestRunSeconds:F2})") : "-"));
        yield return Row("hybrid p50 / p95 ms", reports.Select(r => string.Create(c, $"{r.Hybrid.P50Milliseconds:F1} / {r.Hybrid.P95Milliseconds:F1}")));
        yield return Row("hybrid recall@5", reports.Select(r => r.Hybrid.RecallAt5.ToString("F3", c)));
        yield return Row("hybrid, no embeddings p50 ms / recall@5", reports.Select(r => r.HybridNoEmbeddings is { } h ? string.Create(c, $"{h.P50Milliseconds:F1} / {h.RecallAt5:F3}") : "-"));
        yield return Row("bm25 p50 ms / recall@5", reports.Select(r => string.Create(c, $"{r.Bm25.P50Milliseconds:F1} / {r.Bm25.RecallAt5:F3}")));
        yield return Row("ratio ingest (graph) / Lucene index", reports.Select(r => string.Create(c, $"x{r.Ratios.IngestGraph:F1}")));
        yield return Row("ratio ingest (+embeddings) / Lucene index", reports.Select(r => r.Ratios.IngestEmbeddings is { } e ? string.Create(c, $"x{e:F1}") : "-"));
        yield return Row("ratio hybrid p50 / Lucene mean", reports.Select(r => string.Create(c, $"x{r.Ratios.HybridP50:F1}")));
        yield return Row("ratio bm25 p50 / Lucene mean", reports.Select(r => string.Create(c, $"x{r.Ratios.Bm25P50:F1}")));
    }

    private static string Row(string label, IEnumerable<string> cells) => $"| {label} | {string.Join(" | ", cells)} |";
}
