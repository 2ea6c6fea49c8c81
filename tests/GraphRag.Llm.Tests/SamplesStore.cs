using GraphRag.Graph.Model;
using GraphRag.Graph.Sqlite;
using GraphRag.Ingest.Chunking;
using GraphRag.Ingest.Extraction;
using GraphRag.Ingest.Pipeline;
using GraphRag.Ingest.Readers;
using GraphRag.Llm.Answering;
using GraphRag.Llm.Planning;
using GraphRag.Query;
using GraphRag.Query.Answering;

namespace GraphRag.Llm.Tests;

/// <summary>The bundled samples ingested once through the real pipeline into a temporary store, for a test class.</summary>
public sealed class SamplesStore : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("graphrag-llm-").FullName;

    public SqliteGraphStore Store { get; private set; } = null!;

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GraphRag.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (GraphRag.sln) above the test binaries.");
    }

    /// <summary>The sample questions (<c>samples/questions.jsonl</c>).</summary>
    public static IReadOnlyList<string> Questions { get; } =
    [
        .. File.ReadLines(Path.Combine(RepositoryRoot(), "samples", "questions.jsonl"))
            .Where(l => l.Trim().Length > 0)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("question").GetString()!),
    ];

    public async Task InitializeAsync()
    {
        Store = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(_folder, "samples.db") });
        var pipeline = new IngestionPipeline(
            Store, Store, new FormatReaderRegistry(), new Chunker(new ChunkingOptions(), new TiktokenTokenCounter()),
            new RuleBasedGraphExtractor(), new IngestOptions());
        await foreach (var result in pipeline.RunAsync(new IngestRun { Paths = [Path.Combine(RepositoryRoot(), "samples", "corpus")] }))
        {
            if (result.Status == IngestStatus.Failed)
            {
                throw new InvalidOperationException($"Fixture input failed: {result.Source}: {result.Reason}");
            }
        }
    }

    /// <summary>A query engine over the store: extractive without clients, grounded (and planned, when the role has a model) with them.</summary>
    public QueryEngine Engine(LlmClients? clients = null)
    {
        IAnswerGenerator answers = new ExtractiveAnswerGenerator();
        if (clients?.For(LlmRole.Answering) is { } answering)
        {
            answers = new GroundedAnswerGenerator(answering, answers);
        }

        var planner = clients?.For(LlmRole.Planning) is { } planning ? new ModelHopPlanner(planning) : null;
        return new QueryEngine(Store, Store, Store, Store, answers, new QueryEngineOptions(), null, null, planner, clients is null ? null : new LlmQueryUsage(clients));
    }

    /// <summary>The stored text of a citation's span, read from the document itself.</summary>
    public async Task<string> StoredTextAsync(Citation citation)
    {
        var document = (await Store.GetDocumentAsync(citation.DocumentId))!;
        return document.Text[citation.Start..citation.End];
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>Reads the prompt the answering model was sent: its numbered passages.</summary>
public static class Prompts
{
    /// <summary>Passage number → the passage's text as sent (after its title line).</summary>
    public static IReadOnlyDictionary<int, string> Passages(ChatRequest request)
    {
        var user = request.Messages.First(m => m.Role == "user" && m.Text.Contains("Passages:\n", StringComparison.Ordinal)).Text;
        var start = user.IndexOf("Passages:\n", StringComparison.Ordinal) + "Passages:\n".Length;
        var passages = new Dictionary<int, string>();
        var matches = System.Text.RegularExpressions.Regex.Matches(user[start..], @"^\[(\d+)\] [^\n]*\n", System.Text.RegularExpressions.RegexOptions.Multiline);
        for (var i = 0; i < matches.Count; i++)
        {
            var from = start + matches[i].Index + matches[i].Length;
            var to = i + 1 < matches.Count ? start + matches[i + 1].Index : user.LastIndexOf("\n\n", StringComparison.Ordinal);
            var body = user[from..to];
            var chains = body.IndexOf("\n\nRelation chains", StringComparison.Ordinal);
            passages[int.Parse(matches[i].Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)] = (chains >= 0 ? body[..chains] : body).TrimEnd('\n');
        }

        return passages;
    }

    /// <summary>The first sentence-like piece of a passage (up to the first full stop), as a model would quote it.</summary>
    public static string FirstSentence(string passage)
    {
        var end = passage.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? passage[..(end + 1)] : passage;
    }

    public static FakeReply Answer(params (string Sentence, (int Passage, string Quote)[] Citations)[] claims) =>
        FakeReply.Json(new
        {
            claims = claims.Select(c => new { sentence = c.Sentence, citations = c.Citations.Select(x => new { passage = x.Passage, quote = x.Quote }) }),
            insufficient = claims.Length == 0,
        });
}
