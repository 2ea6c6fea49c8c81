using System.Collections.Concurrent;
using System.Reflection;

namespace GraphRag.Neo4j;

/// <summary>
/// The store's Cypher, from <c>cypher/queries/*.cypher</c> and <c>cypher/schema/*.cypher</c> embedded in this assembly.
/// Statements are constant text; every value travels as a parameter.
/// </summary>
internal static class Cypher
{
    private static readonly ConcurrentDictionary<string, string> Loaded = new(StringComparer.Ordinal);

    /// <summary>The statement in <c>cypher/queries/{name}.cypher</c>.</summary>
    public static string Query(string name) => Loaded.GetOrAdd("queries." + name, Load);

    /// <summary>The schema statements for a server major version (3: <c>v3.cypher</c>; later: <c>v4.cypher</c>).</summary>
    public static IReadOnlyList<string> Schema(int major) =>
        Load(major <= 3 ? "schema.v3" : "schema.v4")
            .Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith("//", StringComparison.Ordinal))
            .Select(line => line.TrimEnd(';'))
            .ToList();

    /// <summary>A statement with <c>$store</c> and the given parameters.</summary>
    public static Statement Statement(string name, string store, params (string Name, object? Value)[] parameters)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal) { ["store"] = store };
        foreach (var (key, value) in parameters)
        {
            values[key] = value;
        }

        return new Statement(Query(name), values);
    }

    private static string Load(string name)
    {
        var resource = "GraphRag.Neo4j." + name + ".cypher";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Missing embedded Cypher '{resource}'.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
