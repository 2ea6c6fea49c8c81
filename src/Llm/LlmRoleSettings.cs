namespace GraphRag.Llm;

/// <summary>One role's resolved settings (its overrides over the section's), without the key.</summary>
/// <param name="Role">What the model is used for.</param>
/// <param name="Provider">Where it is served.</param>
/// <param name="Endpoint">The base URL; null for api.openai.com.</param>
/// <param name="Model">The model or Azure deployment name.</param>
/// <param name="MaxOutputTokens">The most tokens one reply may have.</param>
/// <param name="Temperature">Sampling temperature.</param>
public sealed record LlmRoleSettings(LlmRole Role, LlmProvider Provider, Uri? Endpoint, string Model, int MaxOutputTokens, double Temperature)
{
    /// <summary>For logs and messages: <c>openai gpt-4o-mini at http://localhost:11434/v1</c>.</summary>
    public string Describe() =>
        $"{Provider.ToString().ToLowerInvariant()} {Model}{(Endpoint is null ? string.Empty : " at " + Endpoint.GetLeftPart(UriPartial.Path))}";
}
