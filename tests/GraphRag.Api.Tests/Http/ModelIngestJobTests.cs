using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GraphRag.Llm;
using GraphRag.Llm.Tests;

namespace GraphRag.Api.Tests.Http;

/// <summary>Ingest jobs with <c>llm: true</c>: the server's Extraction model, the job's report and usage, and refusal without a model.</summary>
public sealed class ModelIngestJobTests : IAsyncLifetime
{
    private FakeChatServer _model = null!;

    public async Task InitializeAsync()
    {
        _model = await FakeChatServer.StartAsync();
        _model.Responder = _ => FakeReply.Json(
            new
            {
                entities = new[] { new { name = "mara voss", type = "Person", quote = "mara voss" }, new { name = "Ghost", type = "Person", quote = "Ghost" } },
                relations = Array.Empty<object>(),
            },
            promptTokens: 400,
            completionTokens: 50);
    }

    public async Task DisposeAsync() => await _model.DisposeAsync();

    private static async Task<JsonElement> FinishedAsync(HttpClient admin, string location)
    {
        for (var polls = 0; polls < 100_000; polls++)
        {
            var view = await ApiServer.ReadJsonAsync(await admin.GetAsync(location));
            if (view.GetProperty("state").GetString() is not ("queued" or "running"))
            {
                return view;
            }
        }

        throw new TimeoutException("the job did not finish");
    }

    [Fact]
    public async Task IngestJob_WithLlm_ExtractsWithTheModelAndReportsWhatItDidAndSpent()
    {
        await using var server = await ApiServer.StartAsync(s =>
        {
            s.Llm.Provider = LlmProvider.OpenAI;
            s.Llm.Endpoint = _model.OpenAIEndpoint;
            s.Llm.Model = "gpt-4o-mini";
            s.Llm.Roles.Planning.Provider = LlmProvider.None;
        });
        Directory.CreateDirectory(server.IngestRoot);
        var input = Path.Combine(server.IngestRoot, "records.jsonl");
        await File.WriteAllTextAsync(input, "{\"id\":\"r1\",\"text\":\"Helios Analytics hired a physicist named mara voss.\"}\n");
        var admin = await server.ClientForAsync("root", [], "admin");

        var created = await admin.PostAsJsonAsync("/v1/ingest-jobs", new { paths = new[] { input }, llm = true });
        created.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var job = await FinishedAsync(admin, created.Headers.Location!.ToString());

        job.GetProperty("state").GetString().Should().Be("succeeded");
        job.GetProperty("progress").GetProperty("added").GetInt32().Should().Be(1);
        var llm = job.GetProperty("llm");
        llm.GetProperty("model").GetString().Should().Be("gpt-4o-mini");
        llm.GetProperty("requests").GetInt32().Should().Be(1);
        llm.GetProperty("entitiesProposed").GetInt32().Should().Be(2);
        llm.GetProperty("entitiesKept").GetInt32().Should().Be(1);
        llm.GetProperty("dropped").GetProperty("quoteNotFound").GetInt32().Should().Be(1);
        llm.GetProperty("usage").GetProperty("inputTokens").GetInt64().Should().Be(400);
        _model.Requests.Should().ContainSingle();

        var entity = await ApiServer.ReadJsonAsync(await admin.GetAsync("/v1/entities/mara%20voss"));
        entity.GetProperty("mentions").EnumerateArray().Should().Contain(m => m.GetProperty("extractor").GetString() == "llm:gpt-4o-mini");

        // The same job again: unchanged, nothing sent.
        var again = await FinishedAsync(admin, (await admin.PostAsJsonAsync("/v1/ingest-jobs", new { paths = new[] { input }, llm = true })).Headers.Location!.ToString());
        again.GetProperty("progress").GetProperty("unchanged").GetInt32().Should().Be(1);
        again.GetProperty("llm").GetProperty("requests").GetInt32().Should().Be(0);
        _model.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task IngestJob_WithLlmOnAServerWithoutAModel_IsABadRequest()
    {
        await using var server = await ApiServer.StartAsync();
        Directory.CreateDirectory(server.IngestRoot);
        var input = Path.Combine(server.IngestRoot, "a.txt");
        await File.WriteAllTextAsync(input, "Some text.");
        var admin = await server.ClientForAsync("root", [], "admin");

        var response = await admin.PostAsJsonAsync("/v1/ingest-jobs", new { paths = new[] { input }, llm = true });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await ApiServer.ReadJsonAsync(response)).GetProperty("detail").GetString().Should().Contain("extraction model");
    }
}
