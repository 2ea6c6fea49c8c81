using Microsoft.Extensions.Configuration;

namespace GraphRag.Llm.Tests;

public sealed class LlmOptionsBindingTests
{
    [Fact]
    public void Bind_TheDocumentedNames_FillEverySetting()
    {
        // The names scripts and the README use; environment variables reach the same keys (GRAPHRAG_GraphRag__Llm__ApiKey).
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GraphRag:Llm:Provider"] = "AzureOpenAI",
            ["GraphRag:Llm:Endpoint"] = "https://contoso.openai.azure.com/",
            ["GraphRag:Llm:Model"] = "gpt-4o-answers",
            ["GraphRag:Llm:ApiKey"] = "key",
            ["GraphRag:Llm:Temperature"] = "0.1",
            ["GraphRag:Llm:MaxOutputTokens"] = "700",
            ["GraphRag:Llm:TimeoutSeconds"] = "20",
            ["GraphRag:Llm:MaxRetries"] = "5",
            ["GraphRag:Llm:Tokenizer"] = "cl100k_base",
            ["GraphRag:Llm:Roles:Planning:Model"] = "gpt-4o-mini-planner",
            ["GraphRag:Llm:Roles:Extraction:Provider"] = "OpenAI",
            ["GraphRag:Llm:Roles:Extraction:Endpoint"] = "http://localhost:11434/v1",
            ["GraphRag:Llm:Budget:TokensPerRun"] = "1000000",
            ["GraphRag:Llm:Budget:TokensPerQuery"] = "8000",
            ["GraphRag:Llm:Prices:gpt-4o-answers:InputPerMillion"] = "2.5",
            ["GraphRag:Llm:Prices:gpt-4o-answers:OutputPerMillion"] = "10",
        }).Build();

        var options = new LlmOptions();
        configuration.GetSection(LlmOptions.SectionName).Bind(options);

        options.Provider.Should().Be(LlmProvider.AzureOpenAI);
        options.Endpoint.Should().Be("https://contoso.openai.azure.com/");
        options.Model.Should().Be("gpt-4o-answers");
        options.ApiKey.Should().Be("key");
        options.Temperature.Should().Be(0.1);
        options.MaxOutputTokens.Should().Be(700);
        options.TimeoutSeconds.Should().Be(20);
        options.MaxRetries.Should().Be(5);
        options.Tokenizer.Should().Be("cl100k_base");
        options.Roles.Planning.Model.Should().Be("gpt-4o-mini-planner");
        options.Roles.Extraction.Provider.Should().Be(LlmProvider.OpenAI);
        options.Budget.TokensPerRun.Should().Be(1_000_000);
        options.Budget.TokensPerQuery.Should().Be(8000);
        options.Prices["GPT-4O-ANSWERS"].OutputPerMillion.Should().Be(10m);
        LlmClientFactory.Validate(options).Should().BeEmpty();
        LlmClientFactory.Resolve(options, LlmRole.Extraction).Should().Be(
            new LlmRoleSettings(LlmRole.Extraction, LlmProvider.OpenAI, new Uri("http://localhost:11434/v1"), "gpt-4o-answers", 700, 0.1));
    }
}
