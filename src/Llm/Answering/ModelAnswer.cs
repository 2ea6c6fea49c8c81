using System.Text.Json;

namespace GraphRag.Llm.Answering;

/// <summary>What the answering model must reply with: claims, each a sentence with the passages and quotes it rests on.</summary>
internal sealed record ModelAnswer(IReadOnlyList<ModelClaim> Claims, bool Insufficient)
{
    public const string SchemaName = "grounded_answer";

    /// <summary>The JSON schema sent with the request (strict: every property required, nothing else allowed).</summary>
    public static JsonElement Schema { get; } = JsonDocument.Parse("""
        {
          "type": "object",
          "properties": {
            "claims": {
              "type": "array",
              "description": "The answer, one sentence per claim, in order.",
              "items": {
                "type": "object",
                "properties": {
                  "sentence": { "type": "string", "description": "One sentence of the answer." },
                  "citations": {
                    "type": "array",
                    "description": "Where the sentence's facts are stated.",
                    "items": {
                      "type": "object",
                      "properties": {
                        "passage": { "type": "integer", "description": "The number of the passage." },
                        "quote": { "type": "string", "description": "Words copied exactly from that passage that state the fact." }
                      },
                      "required": ["passage", "quote"],
                      "additionalProperties": false
                    }
                  }
                },
                "required": ["sentence", "citations"],
                "additionalProperties": false
              }
            },
            "insufficient": { "type": "boolean", "description": "True when the passages do not answer the question." }
          },
          "required": ["claims", "insufficient"],
          "additionalProperties": false
        }
        """).RootElement.Clone();

    /// <summary>Parses and checks a reply against the schema; the error says what is wrong, for the repair request.</summary>
    public static (ModelAnswer? Answer, string? Error) Parse(string reply)
    {
        var text = StripFence(reply ?? string.Empty);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            return (null, $"it is not valid JSON ({ex.Message.Split('.')[0]})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, "it is not a JSON object");
            }

            if (!root.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array)
            {
                return (null, "it has no \"claims\" array");
            }

            var insufficient = root.TryGetProperty("insufficient", out var flag) && flag.ValueKind == JsonValueKind.True;
            var parsed = new List<ModelClaim>();
            var index = 0;
            foreach (var claim in claims.EnumerateArray())
            {
                index++;
                if (claim.ValueKind != JsonValueKind.Object
                    || !claim.TryGetProperty("sentence", out var sentence) || sentence.ValueKind != JsonValueKind.String)
                {
                    return (null, $"claim {index} has no \"sentence\" string");
                }

                if (!claim.TryGetProperty("citations", out var citations) || citations.ValueKind != JsonValueKind.Array)
                {
                    return (null, $"claim {index} has no \"citations\" array");
                }

                var cites = new List<ModelCitation>();
                foreach (var citation in citations.EnumerateArray())
                {
                    if (citation.ValueKind != JsonValueKind.Object
                        || !citation.TryGetProperty("passage", out var passage) || !passage.TryGetInt32(out var number)
                        || !citation.TryGetProperty("quote", out var quote) || quote.ValueKind != JsonValueKind.String)
                    {
                        return (null, $"a citation of claim {index} lacks an integer \"passage\" or a string \"quote\"");
                    }

                    cites.Add(new ModelCitation(number, quote.GetString()!));
                }

                parsed.Add(new ModelClaim(sentence.GetString()!.Trim(), cites));
            }

            return (new ModelAnswer([.. parsed.Where(c => c.Sentence.Length > 0)], insufficient), null);
        }
    }

    /// <summary>Some servers wrap JSON in a Markdown code fence even when asked for JSON.</summary>
    private static string StripFence(string reply)
    {
        var text = reply.Trim();
        if (!text.StartsWith("```", StringComparison.Ordinal))
        {
            return text;
        }

        var firstLine = text.IndexOf('\n', StringComparison.Ordinal);
        var close = text.LastIndexOf("```", StringComparison.Ordinal);
        return firstLine > 0 && close > firstLine ? text[(firstLine + 1)..close].Trim() : text;
    }
}

internal sealed record ModelClaim(string Sentence, IReadOnlyList<ModelCitation> Citations);

internal sealed record ModelCitation(int Passage, string Quote);
