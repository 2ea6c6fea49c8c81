using System.Text.Json;
using Microsoft.Extensions.AI;

namespace GraphRag.Llm;

/// <summary>
/// Chat options that ask for a reply in a JSON schema: <see cref="ChatResponseFormat.ForJsonSchema(JsonElement, string?, string?)"/>
/// for any <see cref="IChatClient"/>, and for the OpenAI and Azure OpenAI connectors the same schema marked
/// <c>strict</c>, so the service holds the model to it (the connector does not set the flag from the abstraction).
/// Replies are validated on our side all the same.
/// </summary>
public static class StructuredOutput
{
    public static ChatOptions Options(JsonElement schema, string name, string description) => new()
    {
        ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, name, description),
        RawRepresentationFactory = _ => new OpenAI.Chat.ChatCompletionOptions
        {
            ResponseFormat = OpenAI.Chat.ChatResponseFormat.CreateJsonSchemaFormat(
                name, BinaryData.FromString(schema.GetRawText()), description, jsonSchemaIsStrict: true),
        },
    };
}
