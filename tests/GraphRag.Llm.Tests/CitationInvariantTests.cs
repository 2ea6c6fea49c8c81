using GraphRag.Query;
using GraphRag.Query.Answering;

namespace GraphRag.Llm.Tests;

/// <summary>Every quote in every answer is the stored text at its span, with a model and without one.</summary>
public sealed class CitationInvariantTests : IClassFixture<SamplesStore>, IAsyncLifetime
{
    private readonly SamplesStore _samples;
    private FakeChatServer _server = null!;

    public CitationInvariantTests(SamplesStore samples) => _samples = samples;

    public async Task InitializeAsync() => _server = await FakeChatServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task QueryAsync_EverySampleQuestion_QuotesOnlyTheStoredTextAtEachSpan()
    {
        // The model quotes every passage: the first sentence, a window reflowed across a line break, a fabrication
        // and an out-of-range passage, and plans with a made-up name; whatever survives must be stored text.
        var turn = 0;
        _server.Responder = request =>
        {
            if (request.ResponseFormat?["json_schema"]?["name"]?.GetValue<string>() == "hop_plan")
            {
                return FakeReply.Json(new { enough = false, subQuestion = "who owns it", entities = new[] { "Tidewater Robotics", "Nobody Inc" } });
            }

            var passages = Prompts.Passages(request);
            var claims = new List<(string, (int, string)[])>();
            foreach (var (number, text) in passages)
            {
                var window = text.Length > 60 ? text.Substring(text.Length / 3, 40) : text;
                claims.Add(($"Claim {number}a.", [(number, Prompts.FirstSentence(text))]));
                claims.Add(($"Claim {number}b.", [(number, window.Replace("\n", " ", StringComparison.Ordinal))]));
            }

            claims.Add(("Fabricated.", [(1, "a sentence no passage contains")]));
            claims.Add(("Out of range.", [(passages.Count + 1 + (turn++ % 3), "anything")]));
            return Prompts.Answer([.. claims]);
        };
        var options = new LlmOptions { Provider = LlmProvider.OpenAI, Endpoint = _server.OpenAIEndpoint, Model = "gpt-4o-mini", ApiKey = "sk" };
        using var clients = LlmClientFactory.Create(options, null, new InstantTimeProvider(), _ => null)!;
        var citations = 0;
        var answered = 0;

        foreach (var engine in new[] { _samples.Engine(), _samples.Engine(clients) })
        {
            foreach (var question in SamplesStore.Questions)
            {
                var result = await engine.QueryAsync(new QueryRequest { Question = question });
                var all = result.Citations
                    .Concat(result.Claims?.SelectMany(c => c.Citations) ?? [])
                    .Concat(result.Paths.SelectMany(p => p.Steps).SelectMany(s => s.Evidence))
                    .ToList();
                foreach (var citation in all)
                {
                    citation.Quote.Should().Be(await _samples.StoredTextAsync(citation), $"a quote of {citation.DocumentId} answering \"{question}\"");
                }

                citations += all.Count;
                answered += result.Kind == AnswerKind.Grounded && result.Claims?.Count > 0 ? 1 : 0;
                (result.Claims ?? []).Should().NotContain(c => c.Citations.Count == 0, "no claim is uncited");
            }
        }

        answered.Should().Be(SamplesStore.Questions.Count, "every question got verified claims from the model");
        citations.Should().BeGreaterThan(300);
    }
}
