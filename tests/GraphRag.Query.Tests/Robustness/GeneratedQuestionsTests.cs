using System.Diagnostics;
using System.Globalization;
using System.Text;
using GraphRag.Graph.Model;
using GraphRag.Query.Analysis;
using GraphRag.Query.Evaluation;
using GraphRag.Query.Exploration;
using GraphRag.Query.Linking;
using GraphRag.Query.Retrieval;
using Xunit.Abstractions;

namespace GraphRag.Query.Tests.Robustness;

/// <summary>
/// Property: no question, however malformed, makes analysis, entity linking or retrieval throw. 100,000 questions are
/// generated from a fixed seed (<c>GRAPHRAG_PROPERTY_SEED</c> tries another, <c>GRAPHRAG_PROPERTY_QUESTIONS</c> another
/// count) and run against the real engine over the samples store: every one through analysis, entity linking and
/// lexical retrieval; every 50th through hybrid multi-hop retrieval (every channel, bridge rounds); every 200th through
/// the whole query (answer, citations, paths). A failure names the seed, the question's number and its text, escaped.
/// </summary>
public sealed class GeneratedQuestionsTests(SamplesFixture samples, ITestOutputHelper output) : IClassFixture<SamplesFixture>
{
    public const int DefaultSeed = 20_251_213;

    public const int DefaultQuestions = 100_000;

    public const int HybridEvery = 50;

    public const int AnswerEvery = 200;

    [Fact]
    public async Task Retrieve_100000GeneratedQuestions_AnalysisLinkingAndRetrievalNeverThrow()
    {
        var seed = Setting("GRAPHRAG_PROPERTY_SEED", DefaultSeed);
        var count = Setting("GRAPHRAG_PROPERTY_QUESTIONS", DefaultQuestions);
        output.WriteLine($"seed {seed} (GRAPHRAG_PROPERTY_SEED), {count} questions");
        var sampleQuestions = (await EvalQuestion.LoadAsync(Path.Combine(SamplesFixture.SamplesFolder, "questions.jsonl"))).Select(q => q.Question).ToList();
        var names = (await new GraphExplorer(samples.Store, samples.Store, samples.Store).SearchEntitiesAsync(null, null, 300, scope: null)).Select(e => e.Name).ToList();
        var generator = new QuestionGenerator(seed, sampleQuestions, names);
        var questions = Enumerable.Range(0, count).Select(_ => generator.Next()).ToList();
        var view = new GraphView(await samples.Store.GetSnapshotAsync(), visibility: null);
        var retriever = new HybridRetriever(samples.Store, samples.Store, new QueryEngineOptions(), RelationVocabulary.BuiltIn);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        int linked = 0, retrieved = 0, hybrid = 0, answered = 0, blank = 0;
        var failures = new System.Collections.Concurrent.ConcurrentBag<(int Index, Exception Error)>();

        await Parallel.ForEachAsync(Enumerable.Range(0, count), async (i, cancellationToken) =>
        {
            var question = questions[i];
            try
            {
                var analyzed = QueryAnalyzer.Analyze(question);
                if (EntityLinker.Link(question, view).Count > 0)
                {
                    Interlocked.Increment(ref linked);
                }

                if (string.IsNullOrWhiteSpace(question))
                {
                    // The engine's contract: a blank question is the caller's error (the CLI and HTTP reject it first).
                    var blankQuery = () => samples.Engine.QueryAsync(new QueryRequest { Question = question }, cancellationToken);
                    await blankQuery.Should().ThrowExactlyAsync<ArgumentException>();
                    Interlocked.Increment(ref blank);
                    return;
                }

                var lexical = await retriever.RetrieveAsync(new QueryRequest { Question = question, Mode = QueryMode.Bm25 }, analyzed, [], cancellationToken);
                if (lexical.Ranked.Count > 0)
                {
                    Interlocked.Increment(ref retrieved);
                }

                if (i % HybridEvery == 0)
                {
                    await retriever.RetrieveAsync(new QueryRequest { Question = question }, analyzed, [], cancellationToken);
                    Interlocked.Increment(ref hybrid);
                }

                if (i % AnswerEvery == 0 && !(await samples.Engine.QueryAsync(new QueryRequest { Question = question }, cancellationToken)).InsufficientEvidence)
                {
                    Interlocked.Increment(ref answered);
                }
            }
            catch (Exception ex)
            {
                failures.Add((i, ex));
            }
        });

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{wall.Elapsed.TotalSeconds:F1} s, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F1} CPU-seconds: {linked} linked an entity, {retrieved} retrieved passages lexically, {hybrid} hybrid retrievals, {answered} answered, {blank} blank"));
        if (failures.OrderBy(f => f.Index).FirstOrDefault() is ({ } _, { } error) first)
        {
            var question = questions[first.Index];
            throw new Xunit.Sdk.XunitException(
                $"{failures.Count} of {count} questions threw (seed {seed}); the first, question {first.Index}: \"{Escape(question)}\" ({question.Length} characters) threw {error.GetType().Name}: {error.Message}{Environment.NewLine}{error}");
        }

        linked.Should().BeGreaterThan(count / 10, "the generator must reach the linker's matching code, not only its early exits");
        retrieved.Should().BeGreaterThan(count / 2, "most questions must reach scoring, not only empty term lists");
    }

    private static int Setting(string variable, int fallback) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } given ? int.Parse(given, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The question as a C# string literal would spell it, so it can be pasted into a regression test.</summary>
    private static string Escape(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text.Length > 400 ? text[..400] + "…" : text)
        {
            builder.Append(c is < ' ' or '"' or '\\' || char.IsSurrogate(c) || char.IsControl(c)
                ? c switch { '"' => "\\\"", '\\' => "\\\\", _ => $"\\u{(int)c:X4}" }
                : c.ToString());
        }

        return builder.ToString();
    }
}
