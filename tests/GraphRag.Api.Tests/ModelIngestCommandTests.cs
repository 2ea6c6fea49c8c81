using System.Diagnostics;
using System.Text.Json;
using GraphRag.Llm.Tests;

namespace GraphRag.Api.Tests;

/// <summary>
/// <c>graphrag ingest --llm</c> and <c>--dry-run</c> as a user runs them: the built command in a process of its own, with
/// <c>GraphRag:Llm</c> from the environment pointing at the fake chat server, which counts every request.
/// </summary>
public sealed class ModelIngestCommandTests : IAsyncLifetime
{
    private const string Text = "Helios Analytics hired a physicist named mara voss in 2003.";

    private readonly string _root = Directory.CreateTempSubdirectory("graphrag-cli-llm-").FullName;
    private FakeChatServer _model = null!;

    private string Db => Path.Combine(_root, "store.db");

    public async Task InitializeAsync()
    {
        _model = await FakeChatServer.StartAsync();
        _model.Responder = _ => FakeReply.Json(
            new
            {
                entities = new[] { new { name = "mara voss", type = "Person", quote = "mara voss" } },
                relations = new[] { new { source = "mara voss", label = "employed_by", target = "Helios Analytics", quote = "Helios Analytics hired a physicist named mara voss" } },
            },
            promptTokens: 500,
            completionTokens: 80);
    }

    public async Task DisposeAsync()
    {
        await _model.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>Runs the built <c>graphrag</c> in the temporary folder with the model settings (and <paramref name="extra"/>) in its environment.</summary>
    private async Task<(int Exit, string Out, string Error)> GraphRagAsync(IReadOnlyDictionary<string, string>? extra, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "graphrag.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["GRAPHRAG_GraphRag__Llm__Provider"] = "OpenAI";
        start.Environment["GRAPHRAG_GraphRag__Llm__Model"] = "gpt-4o-mini";
        start.Environment["GRAPHRAG_GraphRag__Llm__Endpoint"] = _model.OpenAIEndpoint;
        start.Environment["GRAPHRAG_GraphRag__Embeddings__Enabled"] = "false";
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    private string Records(params string[] texts)
    {
        var path = Path.Combine(_root, "input.jsonl");
        File.WriteAllLines(path, texts.Select((t, i) => JsonSerializer.Serialize(new { id = $"d{i + 1}", title = $"Doc {i + 1}", text = t })));
        return path;
    }

    [Fact]
    public async Task IngestLlm_ThenAgain_ReportsTheModelsWorkAndTheSecondRunSendsNothing()
    {
        var input = Records(Text, "Oslo Harbour Works hired ingrid halvorsen.");

        var first = await GraphRagAsync(null, "ingest", input, "--llm", "--db", Db, "--json");
        var sent = _model.Requests.Count;
        var second = await GraphRagAsync(null, "ingest", input, "--llm", "--db", Db);
        var entity = await GraphRagAsync(null, "entity", "mara voss", "--db", Db);

        first.Exit.Should().Be(0, first.Error);
        using (var json = JsonDocument.Parse(first.Out))
        {
            json.RootElement.GetProperty("added").GetInt32().Should().Be(2);
            var llm = json.RootElement.GetProperty("llm");
            llm.GetProperty("requests").GetInt32().Should().Be(2);
            llm.GetProperty("entitiesKept").GetInt32().Should().Be(1);
            llm.GetProperty("relationsKept").GetInt32().Should().Be(1);
            llm.GetProperty("dropped").GetProperty("quoteNotFound").GetInt32().Should().Be(2, "the second chunk quotes neither mara voss nor her hiring");
            llm.GetProperty("usage").GetProperty("inputTokens").GetInt64().Should().Be(1_000);
            llm.GetProperty("usage").GetProperty("estimatedCostUsd").GetDecimal().Should().BeGreaterThan(0);
        }

        sent.Should().Be(2);
        second.Exit.Should().Be(0, second.Error);
        second.Out.Should().Contain("2 unchanged").And.Contain("model extraction (gpt-4o-mini): 0 chunks, 0 requests");
        _model.Requests.Should().HaveCount(2, "a second ingest of unchanged content sends nothing");
        entity.Out.Should().Contain("\"mara voss\" in d1").And.Contain("llm:gpt-4o-mini").And.Contain("employed_by");
    }

    [Fact]
    public async Task IngestLlmDryRun_PrintsTheEstimateSendsNothingAndCreatesNoStore()
    {
        var input = Records(Text, "Oslo Harbour Works hired ingrid halvorsen.");

        var (exit, output, error) = await GraphRagAsync(null, "ingest", input, "--llm", "--dry-run", "--db", Db);

        exit.Should().Be(0, error);
        _model.Requests.Should().BeEmpty();
        File.Exists(Db).Should().BeFalse("a dry run writes nothing, not even an empty store");
        output.Should().Contain("dry run: nothing was sent and nothing was written")
            .And.Contain("documents: 2 (2 new")
            .And.Contain("requests: 2 (0 chunks answered from the cache)")
            .And.Contain("input tokens:")
            .And.Contain("estimated cost: $");
    }

    [Fact]
    public async Task IngestLlmDryRun_AfterIngest_CostsNothingForUnchangedDocuments()
    {
        var input = Records(Text);
        (await GraphRagAsync(null, "ingest", input, "--llm", "--db", Db)).Exit.Should().Be(0);
        var before = new FileInfo(Db).LastWriteTimeUtc;

        var (exit, output, error) = await GraphRagAsync(null, "ingest", input, "--llm", "--dry-run", "--db", Db, "--json");

        exit.Should().Be(0, error);
        _model.Requests.Should().ContainSingle("only the real run sent a request");
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("unchanged").GetInt32().Should().Be(1);
        json.RootElement.GetProperty("requests").GetInt32().Should().Be(0);
        json.RootElement.GetProperty("estimatedCostUsd").GetDecimal().Should().Be(0);
    }

    [Fact]
    public async Task IngestLlm_TokensPerRunSpent_StopsExitsOneAndSaysWhat()
    {
        var input = Records(Text, "Second text here.", "Third text here.");
        // The first request reserves its prompt and 300 output tokens and is charged 580; the second would pass 1,000.
        var budget = new Dictionary<string, string>
        {
            ["GRAPHRAG_GraphRag__Llm__Budget__TokensPerRun"] = "1000",
            ["GRAPHRAG_GraphRag__Llm__MaxOutputTokens"] = "300",
        };

        var (exit, output, error) = await GraphRagAsync(budget, "ingest", input, "--llm", "--db", Db);

        exit.Should().Be(1);
        error.Should().Contain("stopped: token budget of 1000").And.Contain("2 documents not processed");
        output.Should().Contain("1 documents (1 added");
        _model.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task IngestDryRun_WithoutLlm_IsRefused()
    {
        var (exit, _, error) = await GraphRagAsync(null, "ingest", Records(Text), "--dry-run", "--db", Db);

        exit.Should().Be(2);
        error.Should().Contain("--llm");
    }

    [DatasetFact]
    public async Task IngestLlmDryRun_Musique100_SendsNothingAndPrintsTheEstimate()
    {
        var corpus = Path.Combine(DatasetFactAttribute.DatasetsFolder!, "musique-100", "corpus.jsonl");

        var (exit, output, error) = await GraphRagAsync(null, "ingest", corpus, "--llm", "--dry-run", "--db", Db);

        exit.Should().Be(0, error);
        _model.Requests.Should().BeEmpty();
        output.Should().Contain("documents: 1,890 (1,890 new").And.Contain("requests: 1,939").And.Contain("estimated cost: $");
    }
}
