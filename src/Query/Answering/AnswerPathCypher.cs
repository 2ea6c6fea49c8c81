namespace GraphRag.Query.Answering;

/// <summary>A Cypher statement and its parameters, ready for Neo4j Browser (<c>:param</c>) or a driver.</summary>
/// <param name="Statement">The statement text, always a constant from a <c>.cypher</c> file.</param>
/// <param name="Parameters">Parameter name → values.</param>
public sealed record CypherStatement(string Statement, IReadOnlyDictionary<string, IReadOnlyList<string>> Parameters);

/// <summary>
/// The statement that shows an answer's path in Neo4j Browser: <c>cypher/guides/answer-path.cypher</c> (embedded), with
/// the ids of the answer's path entities, the relations its steps follow and the chunks it cites. The parameters are
/// only ids the answer already carries, so the statement reveals nothing the caller was not shown; the text never
/// depends on data.
/// </summary>
public static class AnswerPathCypher
{
    /// <summary>The manifest name of the embedded statement.</summary>
    public const string ResourceName = "GraphRag.Query.Cypher.answer-path.cypher";

    private static readonly Lazy<string> Text = new(Load);

    /// <summary>The statement (comment lines and the closing <c>;</c> removed).</summary>
    public static string Statement => Text.Value;

    /// <summary>The statement for <paramref name="result"/>'s paths; null when the answer has no path to show.</summary>
    public static CypherStatement? For(QueryResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var steps = result.Paths.SelectMany(p => p.Steps)
            .Where(s => s.RelationId.Length > 0 && s.SourceId.Length > 0 && s.TargetId.Length > 0)
            .ToList();
        if (steps.Count == 0)
        {
            return null;
        }

        var entities = steps.SelectMany(s => new[] { s.SourceId, s.TargetId }).Distinct(StringComparer.Ordinal).ToList();
        var relations = steps.Select(s => s.RelationId).Distinct(StringComparer.Ordinal).ToList();
        var chunks = result.Citations.Select(c => c.ChunkId)
            .Concat(steps.SelectMany(s => s.Evidence.Select(e => e.ChunkId)))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new CypherStatement(
            Statement,
            new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
            {
                ["entityIds"] = entities,
                ["relationIds"] = relations,
                ["chunkIds"] = chunks,
            });
    }

    private static string Load()
    {
        using var stream = typeof(AnswerPathCypher).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded statement {ResourceName} is missing from {typeof(AnswerPathCypher).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        var lines = reader.ReadToEnd().ReplaceLineEndings("\n").Split('\n')
            .Where(line => line.Trim().Length > 0 && !line.TrimStart().StartsWith("//", StringComparison.Ordinal));
        return string.Join('\n', lines).Trim().TrimEnd(';').TrimEnd();
    }
}
