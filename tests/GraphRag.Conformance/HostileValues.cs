namespace GraphRag.Conformance;

/// <summary>
/// Strings a store must keep as data, never as syntax: Cypher and SQL injections, quotes of every kind and full-text
/// operators. Every suite stores and reads them back where a caller could put them (ids, titles, ACL entries, keys).
/// </summary>
public static class HostileValues
{
    public static readonly string[] HostileStrings =
    [
        "'}) DETACH DELETE n //",
        "\"; DROP TABLE chunks; --",
        "Robert'); DROP TABLE documents;--",
        "O'Brien \"The Quote\" [brackets] {braces} `ticks` \\backslash",
        "MATCH (n) RETURN n",
        "NEAR(a b) AND * OR NOT ^col:",
    ];

    public static TheoryData<string> Strings()
    {
        var data = new TheoryData<string>();
        foreach (var value in HostileStrings)
        {
            data.Add(value);
        }

        return data;
    }
}
