using System.Diagnostics;
using System.Text.Json;
using GraphRag.Query.Evaluation;
using Lucene.Net.Analysis.En;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Util;
using LuceneDirectory = Lucene.Net.Store.Directory;
using FSDirectory = Lucene.Net.Store.FSDirectory;

namespace GraphRag.Bench.Compare;

/// <summary>What Lucene did on one dataset: index time, query latency over the questions, and recall@5.</summary>
public sealed record LuceneFigures(int Documents, double IndexSeconds, double MeanMilliseconds, double P50Milliseconds, double RecallAt5);

/// <summary>
/// The peer a .NET user would reach for: Lucene.NET 4.8, <see cref="EnglishAnalyzer"/>, <see cref="BM25Similarity"/>,
/// one analysed field holding the title and the text, in an <see cref="FSDirectory"/> under a temporary folder.
/// Index time runs from reading <c>corpus.jsonl</c> to the committed, closed writer, as the project's ingest time runs
/// from reading the file to the closed store.
/// </summary>
public static class LuceneBaseline
{
    public const int TopK = 10;
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private const string IdField = "id";
    private const string BodyField = "body";

    /// <summary>Indexes the corpus into <paramref name="folder"/> (created empty); the seconds from reading the file to the closed writer.</summary>
    public static double Index(string corpusPath, string folder)
    {
        if (System.IO.Directory.Exists(folder))
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }

        var clock = Stopwatch.StartNew();
        using (var directory = FSDirectory.Open(folder))
        using (var analyzer = new EnglishAnalyzer(Version))
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(Version, analyzer) { Similarity = new BM25Similarity(), OpenMode = OpenMode.CREATE }))
        {
            foreach (var line in File.ReadLines(corpusPath))
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                var title = root.TryGetProperty("title", out var t) ? t.GetString() : null;
                var text = root.GetProperty("text").GetString();
                writer.AddDocument(new Lucene.Net.Documents.Document
                {
                    new StringField(IdField, root.GetProperty("id").GetString(), Field.Store.YES),
                    new TextField(BodyField, string.IsNullOrEmpty(title) ? text : title + "\n" + text, Field.Store.NO),
                });
            }

            writer.Commit();
        }

        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Runs every question against the index in <paramref name="folder"/> (top 10), after one untimed pass over all of
    /// them: latencies of the timed pass, and recall@5 over the passages' ids as <c>graphrag eval</c> scores it.
    /// </summary>
    public static (IReadOnlyList<double> Milliseconds, double RecallAt5) Search(string folder, IReadOnlyList<EvalQuestion> questions)
    {
        ArgumentNullException.ThrowIfNull(questions);
        using LuceneDirectory directory = FSDirectory.Open(folder);
        using var reader = DirectoryReader.Open(directory);
        using var analyzer = new EnglishAnalyzer(Version);
        var searcher = new IndexSearcher(reader) { Similarity = new BM25Similarity() };
        var parser = new QueryParser(Version, BodyField, analyzer);

        List<string> Run(string question)
        {
            var query = parser.Parse(QueryParserBase.Escape(question));
            var top = searcher.Search(query, TopK);
            return [.. top.ScoreDocs.Select(hit => searcher.Doc(hit.Doc).Get(IdField))];
        }

        foreach (var question in questions)
        {
            Run(question.Question);
        }

        var latencies = new List<double>(questions.Count);
        var recalls = new List<double>(questions.Count);
        foreach (var question in questions)
        {
            var clock = Stopwatch.StartNew();
            var ranked = Run(question.Question);
            latencies.Add(clock.Elapsed.TotalMilliseconds);
            if (question.SupportingIds.Count > 0)
            {
                // As EvalRunner averages: over the questions that have gold passages.
                recalls.Add(RetrievalMetrics.RecallAt(ranked, [.. question.SupportingIds], 5));
            }
        }

        return (latencies, recalls.DefaultIfEmpty(0).Average());
    }
}
