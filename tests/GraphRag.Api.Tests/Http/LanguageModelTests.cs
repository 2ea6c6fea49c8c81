using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using GraphRag.Hosting;
using GraphRag.Llm;
using GraphRag.Llm.Tests;
using GraphRag.Query;
using GraphRag.Query.Answering;

namespace GraphRag.Api.Tests.Http;

/// <summary>
/// A language model behind the HTTP API (the real connector against a fake OpenAI-compatible server): what leaves the
/// machine for each caller, streamed answers, usage, and answers without a model.
/// </summary>
public sealed partial class LanguageModelTests : IAsyncLifetime
{
    private const string Contact =
        "Maria Keller leads the Northwind Systems audit team. Maria Keller can be reached at maria.keller@northwind.example "
        + "or on +1 415 555 0134. The audit fee was charged to card 4111 1111 1111 1111.";

    private static readonly string[] Raw = ["maria.keller@northwind.example", "+1 415 555 0134", "4111 1111 1111 1111"];

    private FakeChatServer _model = null!;

    public async Task InitializeAsync() => _model = await FakeChatServer.StartAsync();

    public async Task DisposeAsync() => await _model.DisposeAsync();

    private Task<ApiServer> StartAsync(bool planning = false) => ApiServer.StartAsync(settings =>
    {
        settings.Llm.Provider = LlmProvider.OpenAI;
        settings.Llm.Endpoint = _model.OpenAIEndpoint;
        settings.Llm.Model = "gpt-4o-mini";
        settings.Llm.ApiKey = "sk-test";
        if (!planning)
        {
            settings.Llm.Roles.Planning.Provider = LlmProvider.None;
        }
    });

    /// <summary>Passage number → text, from the answering prompt.</summary>
    private static Dictionary<int, string> Passages(ChatRequest request)
    {
        var user = request.Messages.First(m => m.Role == "user").Text;
        var result = new Dictionary<int, string>();
        var matches = PassageHeader().Matches(user);
        for (var i = 0; i < matches.Count; i++)
        {
            var from = matches[i].Index + matches[i].Length;
            var to = i + 1 < matches.Count ? matches[i + 1].Index : user.IndexOf("\n\nCite passages", StringComparison.Ordinal);
            result[int.Parse(matches[i].Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)] = user[from..to].Split("\n\nRelation chains")[0].TrimEnd('\n');
        }

        return result;
    }

    [GeneratedRegex(@"^\[(\d+)\] [^\n]*\n", RegexOptions.Multiline)]
    private static partial Regex PassageHeader();

    /// <summary>A model that quotes the sentence of the first passage that mentions <paramref name="word"/>.</summary>
    private static FakeReply QuoteSentenceWith(ChatRequest request, string word)
    {
        if (request.ResponseFormat?["json_schema"]?["name"]?.GetValue<string>() == "hop_plan")
        {
            return FakeReply.Json(new { enough = true, subQuestion = string.Empty, entities = Array.Empty<string>() });
        }

        var (number, text) = Passages(request).First(p => p.Value.Contains(word, StringComparison.Ordinal));
        var at = text.IndexOf(word, StringComparison.Ordinal);
        var start = text.LastIndexOf(". ", at, StringComparison.Ordinal) is var dot and >= 0 ? dot + 2 : 0;
        var end = text.IndexOf(". ", at + word.Length, StringComparison.Ordinal) is var stop and >= 0 ? stop + 1 : text.Length;
        return FakeReply.Json(new
        {
            claims = new[] { new { sentence = "The passage says how to reach her.", citations = new[] { new { passage = number, quote = text[start..end] } } } },
            insufficient = false,
        });
    }

    [Fact]
    public async Task Query_CallerWithoutPiiGrant_SendsTheProviderNoPersonalData_AndCitesTheStoredSpan()
    {
        await using var server = await StartAsync();
        var alice = await server.ClientForAsync("alice", ["a"], "write");
        var carol = await server.ClientForAsync("carol", ["a"], "pii");
        (await ApiServer.UploadTextAsync(alice, "contact.txt", Contact)).StatusCode.Should().Be(HttpStatusCode.Created);
        _model.Responder = request =>
            QuoteSentenceWith(request, Passages(request).Values.Any(p => p.Contains("[EMAIL]", StringComparison.Ordinal)) ? "[EMAIL]" : "maria.keller@");
        const string Question = "How can Maria Keller of the Northwind Systems audit team be reached?";

        var aliceAnswer = await ApiServer.ReadJsonAsync(await alice.PostAsJsonAsync("/v1/query", new { question = Question }));

        var prompts = _model.Requests.Select(r => r.Body.ToJsonString()).ToList();
        prompts.Should().NotBeEmpty();
        foreach (var value in Raw)
        {
            prompts.Should().NotContain(p => p.Contains(value, StringComparison.Ordinal), "personal data never leaves the machine for a caller without pii");
        }

        Passages(_model.Requests[0])[1].Should().Contain("[EMAIL]").And.Contain("[PHONE]").And.Contain("[CARD]").And.Contain("Maria Keller");
        var claim = aliceAnswer.GetProperty("claims")[0];
        var citation = claim.GetProperty("citations")[0];
        citation.GetProperty("quote").GetString().Should().Contain("[EMAIL]").And.NotContain(Raw[0]);
        var stored = (await server.Engine.SqliteStore().GetDocumentAsync("uploads/alice/contact.txt"))!.Text;
        stored[citation.GetProperty("start").GetInt32()..citation.GetProperty("end").GetInt32()].Should().Contain(Raw[0], "the quote maps back to the stored span");
        aliceAnswer.GetRawText().Should().NotContain(Raw[0]).And.NotContain(Raw[1]);

        // A caller with the grant: the prompt carries the stored text, and so does the citation.
        var carolAnswer = await ApiServer.ReadJsonAsync(await carol.PostAsJsonAsync("/v1/query", new { question = Question }));
        _model.Requests[^1].Text.Should().Contain(Raw[0]);
        carolAnswer.GetProperty("claims")[0].GetProperty("citations")[0].GetProperty("quote").GetString().Should().Contain(Raw[0]);
    }

    [Fact]
    public async Task Query_TwoTenants_PromptsHoldNoneOfTheOtherTenantsText()
    {
        await using var server = await StartAsync(planning: true);
        var alice = await server.ClientForAsync("alice", ["a"], "write");
        var bob = await server.ClientForAsync("bob", ["b"], "write");
        (await ApiServer.UploadTextAsync(alice, "orvik.txt", "Orvik Shipping was founded by Selma Brandt in Vardo in 1961. Selma Brandt was born in Hammerfest."))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        (await ApiServer.UploadTextAsync(bob, "orvik-deal.txt", "Orvik Shipping was bought by Kestrel Holdings in 2011. Kestrel Holdings keeps the ledger code zebra-quartz-77."))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        _model.Responder = request => request.ResponseFormat?["json_schema"]?["name"]?.GetValue<string>() == "hop_plan"
            // The planner tries to steer towards the other tenant's entity: it must not become a bridge.
            ? FakeReply.Json(new { enough = false, subQuestion = "who bought Orvik Shipping", entities = new[] { "Kestrel Holdings", "Selma Brandt" } })
            : QuoteSentenceWith(request, "Orvik Shipping");

        var answer = await ApiServer.ReadJsonAsync(await alice.PostAsJsonAsync("/v1/query", new { question = "Who founded Orvik Shipping and where was the founder born?", hops = 3 }));

        _model.Requests.Should().Contain(r => r.ResponseFormat!["json_schema"]!["name"]!.GetValue<string>() == "hop_plan");
        foreach (var request in _model.Requests)
        {
            request.Text.Should().NotContain("Kestrel").And.NotContain("zebra-quartz").And.NotContain("2011");
        }

        // The model's own proposal is echoed in the trace (as rejected); nothing else of the answer names the other tenant.
        var withoutPlans = answer.GetRawText().Replace("\"Kestrel Holdings\"", "\"\"", StringComparison.Ordinal);
        withoutPlans.Should().NotContain("Kestrel").And.NotContain("zebra").And.NotContain("2011");
        var plan = answer.GetProperty("hops")[0].GetProperty("plan");
        plan.GetProperty("rejected").EnumerateArray().Select(e => e.GetString()).Should().Contain("Kestrel Holdings");
        plan.GetProperty("accepted").EnumerateArray().Select(e => e.GetString()).Should().NotContain("Kestrel Holdings");
        plan.GetProperty("usage").GetProperty("requests").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task QueryStream_ModelTokens_ArriveBeforeTheEnd_ThenTheVerifiedCitations()
    {
        await using var server = await StartAsync();
        var alice = await server.ClientForAsync("alice", ["a"], "write");
        (await ApiServer.UploadTextAsync(alice, "orvik.txt", "Orvik Shipping was founded by Selma Brandt in Vardo in 1961."))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _model.Responder = _ => FakeReply.Stream(
            ["{\"claims\":[{\"sentence\":\"Selma ", "Brandt founded it.\",\"citations\":[{\"passage\":1,\"quote\":\"founded by Selma Brandt\"}]},",
             "{\"sentence\":\"It sails to Mars.\",\"citations\":[{\"passage\":1,\"quote\":\"sails to Mars\"}]}],\"insufficient\":false}"],
            holdAfter: release.Task,
            holdAfterPieces: 1);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/query/stream") { Content = JsonContent.Create(new { question = "Who founded Orvik Shipping?" }) };
        using var response = await alice.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<(string Event, string Data)>();
        string? name = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add((name!, line["data: ".Length..]));
                if (name == "token")
                {
                    // The model is still held mid-answer: this token arrived before the end.
                    events.Should().NotContain(e => e.Event == "answer" || e.Event == "done");
                    release.TrySetResult();
                }
            }
        }

        release.Task.IsCompleted.Should().BeTrue("a token arrived while the model was still answering");
        var order = events.Select(e => e.Event).ToList();
        order.IndexOf("token").Should().BeLessThan(order.IndexOf("claim"));
        string.Concat(events.Where(e => e.Event == "token").Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("text").GetString()))
            .Should().Be("Selma Brandt founded it. It sails to Mars.");
        var claim = JsonDocument.Parse(events.Single(e => e.Event == "claim").Data).RootElement;
        claim.GetProperty("text").GetString().Should().Be("Selma Brandt founded it.");
        claim.GetProperty("citations")[0].GetProperty("quote").GetString().Should().Be("founded by Selma Brandt");
        var dropped = JsonDocument.Parse(events.Single(e => e.Event == "dropped").Data).RootElement;
        dropped.GetProperty("reason").GetString().Should().Be("its quote is not in passage 1: \"sails to Mars\"");
        var answer = JsonDocument.Parse(events.Single(e => e.Event == "answer").Data).RootElement;
        answer.GetProperty("answer").GetString().Should().Be("Selma Brandt founded it.");
        answer.GetProperty("usage").GetProperty("requests").GetInt32().Should().Be(1);
        order[^1].Should().Be("done");
    }

    [Fact]
    public async Task Query_WithAModel_ReportsThisQuerysUsageAndCost()
    {
        await using var server = await StartAsync();
        var alice = await server.ClientForAsync("alice", ["a"], "write");
        (await ApiServer.UploadTextAsync(alice, "orvik.txt", "Orvik Shipping was founded by Selma Brandt in Vardo in 1961."))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        _model.Responder = _ => FakeReply.Json(
            new { claims = new[] { new { sentence = "Selma Brandt.", citations = new[] { new { passage = 1, quote = "Selma Brandt" } } } }, insufficient = false },
            promptTokens: 2000,
            completionTokens: 100);

        var answer = await ApiServer.ReadJsonAsync(await alice.PostAsJsonAsync("/v1/query", new { question = "Who founded Orvik Shipping?" }));

        var usage = answer.GetProperty("usage");
        usage.GetProperty("requests").GetInt32().Should().Be(1);
        usage.GetProperty("inputTokens").GetInt64().Should().Be(2000);
        usage.GetProperty("outputTokens").GetInt64().Should().Be(100);
        usage.GetProperty("estimatedCostUsd").GetDecimal().Should().Be(0.00036m);
        answer.GetProperty("answer").GetString().Should().Be("Selma Brandt.");

        // query --json carries the same, in the same names.
        var result = await server.Engine.Query.QueryAsync(new QueryRequest { Question = "Who founded Orvik Shipping?" });
        using var cli = JsonDocument.Parse(JsonSerializer.Serialize(Cli.QueryJson.From(result), ApiJson.Cli));
        cli.RootElement.GetProperty("usage").GetProperty("inputTokens").GetInt64().Should().Be(2000);
        cli.RootElement.GetProperty("claims")[0].GetProperty("citations")[0].GetProperty("quote").GetString().Should().Be("Selma Brandt");
        cli.RootElement.GetProperty("droppedClaims").GetArrayLength().Should().Be(0);
        cli.RootElement.GetProperty("answerNote").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task Query_WithoutAModel_IsByteIdenticalToTheExtractiveEngine()
    {
        await using var server = await ApiServer.StartAsync();
        var admin = await server.ClientForAsync("root", [], "admin");
        foreach (var file in Directory.EnumerateFiles(Path.Combine(SamplesRoot(), "corpus", "companies")).Take(6))
        {
            (await ApiServer.UploadTextAsync(admin, Path.GetFileName(file) + ".txt", await File.ReadAllTextAsync(file))).IsSuccessStatusCode.Should().BeTrue();
        }

        var engine = server.Engine;
        engine.Llm.Should().BeNull("no provider is configured, so nothing is ever sent");
        var backend = engine.Backend;
        var extractive = new QueryEngine(
            backend.Documents, backend.Indexes, backend.Graph, backend.Indexes, new ExtractiveAnswerGenerator(), engine.Settings.Query);
        foreach (var question in new[] { "Which company acquired the maker of the HX-7 hydrophone?", "Who founded Nordhav Ventures?", "What does Tidewater Robotics make?" })
        {
            var configured = await engine.Query.QueryAsync(new QueryRequest { Question = question });
            var plain = await extractive.QueryAsync(new QueryRequest { Question = question });

            Serialise(configured).Should().Be(Serialise(plain));
            JsonSerializer.Serialize(Cli.QueryJson.From(configured with { Timings = [] }), ApiJson.Cli)
                .Should().NotContain("\"usage\"").And.NotContain("\"claims\"", "query --json keeps its shape without a model");
        }

        _model.Requests.Should().BeEmpty();
    }

    [Fact]
    public void Validate_BadLanguageModelSettings_StopStartUpWithEveryProblemNamed()
    {
        var settings = new GraphRagSettings();
        settings.Llm.Provider = LlmProvider.AzureOpenAI;
        settings.Llm.ApiKey = "key";
        settings.Llm.MaxRetries = 50;

        var act = settings.Validate;

        act.Should().Throw<System.ComponentModel.DataAnnotations.ValidationException>().Which.Message.Should()
            .StartWith("Invalid settings:")
            .And.Contain("Llm: AzureOpenAI needs an Endpoint")
            .And.Contain("Llm: AzureOpenAI needs Model set to the chat deployment's name")
            .And.Contain("MaxRetries");
    }

    private static string Serialise(QueryResult result) => JsonSerializer.Serialize(result with { Timings = [] });

    private static string SamplesRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GraphRag.sln")))
            {
                return Path.Combine(dir.FullName, "samples");
            }
        }

        throw new InvalidOperationException("No repository root above the test binaries.");
    }
}
