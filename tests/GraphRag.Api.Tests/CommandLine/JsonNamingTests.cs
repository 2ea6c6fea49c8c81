using System.Text.Json;

namespace GraphRag.Api.Tests.CommandLine;

/// <summary>Every --json output uses the HTTP API's naming: camelCase keys, evidence text as "quote".</summary>
public sealed class JsonNamingTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("graphrag-cli-json-").FullName;

    private string Db => Path.Combine(_root, "store.db");

    private static string Samples => Path.Combine(CliTests.RepositoryRoot(), "samples");

    public async Task InitializeAsync() =>
        (await CliTests.RunAsync("ingest", Path.Combine(Samples, "corpus"), "--no-embeddings", "--db", Db)).Exit.Should().Be(0);

    public static TheoryData<string> Commands() => new()
    {
        "ingest|{samples}/corpus/people",
        "query|Who is married to the director of the documentary 'The Quiet Fleet'?",
        "stats",
        "entities|--top|5",
        "entity|Ingrid Halvorsen",
        "path|Ingrid Halvorsen|Tomas Lindqvist",
        "export|neo4j|--out|{root}/export",
        "keys|add|--principal|alice",
        "keys|list",
        "bench|extract|{root}/corpus.jsonl|--rounds|1",
    };

    /// <summary>The CLI printed snake_case (insufficient_evidence, document_id) while HTTP answers camelCase.</summary>
    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Json_AnyCommand_UsesCamelCaseKeysOnly(string invocation)
    {
        await File.WriteAllTextAsync(Path.Combine(_root, "corpus.jsonl"), """{"id":"p1","title":"Nautilux","text":"Alice Marlow founded Nautilux Sensing in Brest."}""" + "\n");
        var args = invocation.Replace("{samples}", Samples, StringComparison.Ordinal).Replace("{root}", _root, StringComparison.Ordinal).Split('|');
        if (args is ["keys", "list"])
        {
            (await CliTests.RunAsync("keys", "add", "--principal", "alice", "--db", Db)).Exit.Should().Be(0);
        }

        var (exit, output, error) = await CliTests.RunAsync([.. args, "--json", "--no-embeddings", "--db", Db]);

        exit.Should().Be(0, error);
        using var json = JsonDocument.Parse(output);
        Keys(json.RootElement).Should().NotBeEmpty().And.OnlyContain(k => !k.Contains('_') && !char.IsUpper(k[0]), output);
    }

    [Fact]
    public async Task Eval_JsonAndOutFile_UseCamelCaseKeys()
    {
        var dataset = Directory.CreateDirectory(Path.Combine(_root, "dataset")).FullName;
        await File.WriteAllTextAsync(Path.Combine(dataset, "corpus.jsonl"), """{"id":"p1","title":"Nautilux","text":"Alice Marlow founded Nautilux Sensing in Brest."}""" + "\n");
        await File.WriteAllTextAsync(Path.Combine(dataset, "questions.jsonl"), """{"id":"q1","question":"Who founded Nautilux Sensing?","answer":"Alice Marlow","answer_aliases":[],"type":"single","supporting_ids":["p1"]}""" + "\n");
        var report = Path.Combine(_root, "report.json");

        var (exit, output, error) = await CliTests.RunAsync("eval", dataset, "--json", "--out", report, "--no-embeddings", "--db", Path.Combine(_root, "eval.db"));

        exit.Should().Be(0, error);
        using var printed = JsonDocument.Parse(output);
        using var written = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        printed.RootElement.TryGetProperty("recallAt5", out _).Should().BeTrue();
        written.RootElement.GetProperty("perQuestion")[0].TryGetProperty("exactMatch", out _).Should().BeTrue();
        Keys(printed.RootElement).Concat(Keys(written.RootElement)).Should().OnlyContain(k => !k.Contains('_'));
    }

    /// <summary>calibrate reads what eval --out writes, in the shared naming, and reports written before it (snake_case).</summary>
    [Fact]
    public async Task Calibrate_EvalReportsInTheNewNamingAndTheOld_AreBothRead()
    {
        var dataset = Directory.CreateDirectory(Path.Combine(_root, "dataset")).FullName;
        await File.WriteAllTextAsync(Path.Combine(dataset, "corpus.jsonl"), """{"id":"p1","title":"Nautilux","text":"Alice Marlow founded Nautilux Sensing in Brest."}""" + "\n");
        await File.WriteAllTextAsync(Path.Combine(dataset, "questions.jsonl"), string.Join('\n',
            """{"id":"q1","question":"Who founded Nautilux Sensing?","answer":"Alice Marlow","answer_aliases":[],"type":"single","supporting_ids":["p1"]}""",
            """{"id":"q2","question":"Where was Nautilux Sensing founded?","answer":"Brest","answer_aliases":[],"type":"single","supporting_ids":["p1"]}""") + "\n");
        var camel = Path.Combine(_root, "camel.json");
        (await CliTests.RunAsync("eval", dataset, "--out", camel, "--no-embeddings", "--db", Path.Combine(_root, "eval.db"))).Exit.Should().Be(0);
        var report = JsonSerializer.Deserialize<GraphRag.Query.Evaluation.EvalReport>(await File.ReadAllTextAsync(camel), ApiJson.Cli)!;
        var snake = Path.Combine(_root, "snake.json");
        await File.WriteAllTextAsync(snake, JsonSerializer.Serialize(report with { Dataset = "older" }, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));

        var (exit, _, error) = await CliTests.RunAsync("calibrate", camel, snake, "--out", Path.Combine(_root, "model.json"));

        report.PerQuestion.Should().NotBeNullOrEmpty();
        exit.Should().Be(0, error);
    }

    /// <summary>Relation evidence was "phrase" (the words between the two names) in the entity and path routes but "quote" in citations.</summary>
    [Fact]
    public async Task EntityJson_RelationEvidence_IsAQuoteOfTheStoredTextAtItsSpan()
    {
        var (exit, output, error) = await CliTests.RunAsync("entity", "Ingrid Halvorsen", "--json", "--db", Db);

        exit.Should().Be(0, error);
        using var json = JsonDocument.Parse(output);
        var evidence = json.RootElement[0].GetProperty("relations").EnumerateArray().SelectMany(r => r.GetProperty("evidence").EnumerateArray()).ToList();
        evidence.Should().NotBeEmpty();
        var settings = new GraphRag.Hosting.GraphRagSettings();
        settings.Store.Path = Db;
        settings.Embeddings.Enabled = false;
        await using var engine = await GraphRag.Hosting.Engine.OpenAsync(settings);
        foreach (var e in evidence)
        {
            e.TryGetProperty("phrase", out _).Should().BeFalse();
            var document = await engine.Documents.GetDocumentAsync(e.GetProperty("documentId").GetString()!);
            var stored = document!.Text[e.GetProperty("start").GetInt32()..e.GetProperty("end").GetInt32()];
            e.GetProperty("quote").GetString().Should().NotBeNullOrEmpty().And.Be(stored);
        }
    }

    private static IEnumerable<string> Keys(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Keys(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Keys),
        _ => [],
    };

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }
}
