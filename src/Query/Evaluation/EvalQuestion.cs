using System.Text.Json;
using System.Text.Json.Serialization;

namespace GraphRag.Query.Evaluation;

/// <summary>One line of a dataset's <c>questions.jsonl</c>.</summary>
public sealed record EvalQuestion
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("question")]
    public required string Question { get; init; }

    [JsonPropertyName("answer")]
    public string Answer { get; init; } = string.Empty;

    [JsonPropertyName("answer_aliases")]
    public IReadOnlyList<string> AnswerAliases { get; init; } = [];

    [JsonPropertyName("type")]
    public string Type { get; init; } = "unknown";

    [JsonPropertyName("supporting_ids")]
    public IReadOnlyList<string> SupportingIds { get; init; } = [];

    public IEnumerable<string> Answers => AnswerAliases.Prepend(Answer).Where(a => !string.IsNullOrWhiteSpace(a));

    /// <summary>Reads a JSONL question file; a malformed line fails with its line number.</summary>
    public static async Task<IReadOnlyList<EvalQuestion>> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        var questions = new List<EvalQuestion>();
        var number = 0;
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                questions.Add(JsonSerializer.Deserialize<EvalQuestion>(line)
                    ?? throw new JsonException("null record"));
            }
            catch (JsonException ex)
            {
                throw new Graph.InvalidInputException($"{path}:{number}: not a question record ({ex.Message})", ex);
            }
        }

        return questions;
    }
}
