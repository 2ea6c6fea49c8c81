using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace GraphRag.Api.Tests.Http;

/// <summary>
/// Two tenants whose documents mention the same people and organisations, stored in one engine. Every endpoint is
/// probed by each tenant for the other's facts; no text, alias, relation, path, count or id of one may reach the
/// other, and what a tenant cannot read answers exactly as what does not exist.
/// </summary>
public sealed class LeakageTests(TwoTenants tenants, ITestOutputHelper output) : IClassFixture<TwoTenants>
{
    [Fact]
    public async Task AdversarialSuite_AcrossEveryEndpoint_FindsNoLeak()
    {
        var cases = tenants.Cases();
        var leaks = new List<string>();
        foreach (var probe in cases)
        {
            var (status, raw) = await tenants.SendAsync(probe);
            // The reply echoes the question the caller sent; only what the engine added counts.
            var body = TwoTenants.WithoutQuestion(raw, probe);
            var secrets = probe.Caller == "alice" ? tenants.BobOnly : tenants.AliceOnly;
            var found = secrets.Where(s => body.Contains(s, StringComparison.OrdinalIgnoreCase)).ToList();
            if (found.Count > 0)
            {
                var at = body.IndexOf(found[0], StringComparison.OrdinalIgnoreCase);
                leaks.Add($"{probe.Name}: {status} leaked {string.Join(", ", found)} in …{body[Math.Max(0, at - 80)..Math.Min(body.Length, at + 40)]}…");
            }

            if ((int)status >= 500)
            {
                leaks.Add($"{probe.Name}: server error {status}");
            }

            output.WriteLine($"{(found.Count == 0 ? "ok  " : "LEAK")} {(int)status} {probe.Name}");
        }

        cases.Count.Should().BeGreaterThanOrEqualTo(50);
        leaks.Should().BeEmpty();
    }

    [Fact]
    public async Task Controls_EachTenantReachesItsOwnFacts_SoTheSuiteCanSeeALeak()
    {
        // The same probes, asked by the owner, surface the facts the suite looks for.
        var aliceOwn = await tenants.SendAsync(new Probe("alice own", "alice", HttpMethod.Post, "/v1/query", new { question = "Who acquired Helios Analytics?" }));
        var bobOwn = await tenants.SendAsync(new Probe("bob own", "bob", HttpMethod.Post, "/v1/query", new { question = "Who founded Contoso Labs?" }));
        var bobEntity = await tenants.SendAsync(new Probe("bob entity", "bob", HttpMethod.Get, "/v1/entities?search=Contoso", null));

        aliceOwn.Body.Should().Contain("Helios");
        bobOwn.Body.Should().Contain("Contoso");
        bobEntity.Body.Should().Contain("Contoso");
        (await tenants.SendAsync(new Probe("admin", "admin", HttpMethod.Get, "/v1/documents", null))).Body.Should().Contain("uploads/bob");
    }

    [Fact]
    public async Task Counts_ReflectOnlyReadableDocuments()
    {
        var aliceDocuments = JsonDocument.Parse((await tenants.SendAsync(new Probe("list", "alice", HttpMethod.Get, "/v1/documents", null))).Body).RootElement;
        var aliceKeller = JsonDocument.Parse((await tenants.SendAsync(new Probe("e", "alice", HttpMethod.Get, "/v1/entities/Maria%20Keller", null))).Body).RootElement;
        var bobKeller = JsonDocument.Parse((await tenants.SendAsync(new Probe("e", "bob", HttpMethod.Get, "/v1/entities/Maria%20Keller", null))).Body).RootElement;
        var adminKeller = JsonDocument.Parse((await tenants.SendAsync(new Probe("e", "admin", HttpMethod.Get, "/v1/entities/Maria%20Keller", null))).Body).RootElement;

        aliceDocuments.GetProperty("total").GetInt32().Should().Be(2);
        aliceDocuments.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("id").GetString())
            .Should().OnlyContain(id => id!.StartsWith("uploads/alice/", StringComparison.Ordinal));
        aliceKeller.GetProperty("documentCount").GetInt32().Should().Be(2);
        bobKeller.GetProperty("documentCount").GetInt32().Should().Be(1);
        adminKeller.GetProperty("documentCount").GetInt32().Should().Be(3);
        aliceKeller.GetProperty("mentionCount").GetInt32().Should().Be(
            adminKeller.GetProperty("mentions").EnumerateArray().Count(m => m.GetProperty("documentId").GetString()!.StartsWith("uploads/alice/", StringComparison.Ordinal)));
        aliceKeller.GetProperty("mentions").EnumerateArray().Should().OnlyContain(m => m.GetProperty("documentId").GetString()!.StartsWith("uploads/alice/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unreadable_AnswersExactlyAsAbsent()
    {
        foreach (var (hidden, absent) in tenants.HiddenVersusAbsent())
        {
            var a = await tenants.SendAsync(hidden);
            var b = await tenants.SendAsync(absent);

            a.Status.Should().Be(b.Status, hidden.Name);
            TwoTenants.WithoutTraceId(a.Body).Should().Be(TwoTenants.WithoutTraceId(b.Body), hidden.Name);
        }

        // A delete of another tenant's document is a 404 and the document survives.
        (await tenants.SendAsync(new Probe("d", "admin", HttpMethod.Get, "/v1/documents/uploads/bob/contoso.txt", null))).Status.Should().Be(HttpStatusCode.OK);
    }
}

public sealed record Probe(string Name, string Caller, HttpMethod Method, string Path, object? Body);

/// <summary>The two-tenant server: alice (group a) and bob (group b), both writers, and an administrator.</summary>
public sealed class TwoTenants : IAsyncLifetime
{
    private readonly Dictionary<string, HttpClient> _clients = [];
    private ApiServer _server = null!;

    public IReadOnlyList<string> BobOnly { get; private set; } = [];

    public IReadOnlyList<string> AliceOnly { get; private set; } = [];

    private List<string> _bobOnlyEntities = [];
    private List<string> _aliceOnlyEntities = [];

    public async Task InitializeAsync()
    {
        _server = await ApiServer.StartAsync(embeddings: true);
        _clients["alice"] = await _server.ClientForAsync("alice", ["a"], "write");
        _clients["bob"] = await _server.ClientForAsync("bob", ["b"], "write");
        _clients["admin"] = await _server.ClientForAsync("root", [], "admin");
        await Upload("alice", "northwind.txt",
            "Maria Keller is the chief executive of Northwind Systems. Northwind Systems acquired Helios Analytics in 2021. "
            + "Colleagues call Maria Keller the Falcon. Maria Keller studied at Delft University of Technology.");
        await Upload("alice", "brandt.txt",
            "Jonas Brandt works for Northwind Systems in Rotterdam. Jonas Brandt reports to Maria Keller. Northwind Systems is headquartered in Rotterdam.");
        await Upload("bob", "contoso.txt",
            "Maria Keller founded Contoso Labs in Berlin. Contoso Labs partnered with Northwind Systems on Project Nightjar. "
            + "Tomasz Wrobel is the deputy of Maria Keller at Contoso Labs.");
        await Upload("bob", "wrobel.txt",
            "Tomasz Wrobel was born in Krakow. Tomasz Wrobel previously worked at Fabrikam Bank. Fabrikam Bank financed Project Nightjar.");

        var snapshot = await _server.Engine.SqliteStore().GetSnapshotAsync();
        List<string> OnlyIn(string owner) => snapshot.EntitiesInDocument($"uploads/{owner}/{(owner == "bob" ? "contoso" : "northwind")}.txt")
            .Concat(snapshot.EntitiesInDocument($"uploads/{owner}/{(owner == "bob" ? "wrobel" : "brandt")}.txt"))
            .Distinct()
            .Where(id => snapshot.ChunksOf(id).All(c => c.DocumentId.StartsWith($"uploads/{owner}/", StringComparison.Ordinal)))
            .ToList();
        _bobOnlyEntities = OnlyIn("bob");
        _aliceOnlyEntities = OnlyIn("alice");
        var bobChunks = (await _server.Engine.SqliteStore().GetDocumentChunksAsync("uploads/bob/contoso.txt"))
            .Concat(await _server.Engine.SqliteStore().GetDocumentChunksAsync("uploads/bob/wrobel.txt")).Select(c => c.Id);
        var aliceChunks = (await _server.Engine.SqliteStore().GetDocumentChunksAsync("uploads/alice/northwind.txt"))
            .Concat(await _server.Engine.SqliteStore().GetDocumentChunksAsync("uploads/alice/brandt.txt")).Select(c => c.Id);
        BobOnly = ["Contoso", "Berlin", "Nightjar", "Wrobel", "Tomasz", "Krakow", "Fabrikam", "founded", "deputy", "partnered", "financed", "uploads/bob",
            .. _bobOnlyEntities, .. bobChunks];
        AliceOnly = ["Helios", "Falcon", "Delft", "Jonas", "Brandt", "Rotterdam", "acquired", "chief executive", "headquartered", "uploads/alice",
            .. _aliceOnlyEntities, .. aliceChunks];
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public async Task<(HttpStatusCode Status, string Body)> SendAsync(Probe probe)
    {
        using var request = new HttpRequestMessage(probe.Method, probe.Path) { Content = probe.Body is null ? null : JsonContent.Create(probe.Body) };
        var response = await _clients[probe.Caller].SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The adversarial probes: each tenant asks for the other's facts on every endpoint.</summary>
    public IReadOnlyList<Probe> Cases()
    {
        var cases = new List<Probe>();
        var questions = new Dictionary<string, string[]>
        {
            ["alice"] =
            [
                "Who founded Contoso Labs?", "Where was Tomasz Wrobel born?", "What is Project Nightjar?", "Who is the deputy of Maria Keller?",
                "Which bank financed Project Nightjar?", "Who is Maria Keller?", "What company did Maria Keller found in Berlin?",
            ],
            ["bob"] =
            [
                "Who acquired Helios Analytics?", "What do colleagues call Maria Keller?", "Where did Maria Keller study?", "Who does Jonas Brandt report to?",
                "Where is Northwind Systems headquartered?", "Who is Maria Keller?", "Who works for Northwind Systems in Rotterdam?",
            ],
        };
        var names = new Dictionary<string, string[]>
        {
            ["alice"] = ["Contoso", "Wrobel", "Tomasz", "Nightjar", "Fabrikam", "Berlin", "Krakow", "Maria", "Keller", ""],
            ["bob"] = ["Helios", "Falcon", "Delft", "Jonas", "Brandt", "Rotterdam", "Maria", "Keller", "Northwind", ""],
        };
        foreach (var caller in new[] { "alice", "bob" })
        {
            var other = caller == "alice" ? "bob" : "alice";
            var otherDocuments = caller == "alice" ? new[] { "contoso.txt", "wrobel.txt" } : ["northwind.txt", "brandt.txt"];
            var otherEntities = caller == "alice" ? _bobOnlyEntities : _aliceOnlyEntities;
            var otherNames = caller == "alice" ? new[] { "Contoso Labs", "Tomasz Wrobel", "Fabrikam Bank" } : ["Helios Analytics", "Jonas Brandt", "Delft University of Technology"];
            foreach (var question in questions[caller])
            {
                foreach (var mode in new[] { "bm25", "graph", "hybrid" })
                {
                    cases.Add(new Probe($"{caller}: query ({mode}) \"{question}\"", caller, HttpMethod.Post, "/v1/query", new { question, mode, k = 10 }));
                }
            }

            foreach (var question in questions[caller].Take(3))
            {
                cases.Add(new Probe($"{caller}: query stream \"{question}\"", caller, HttpMethod.Post, "/v1/query/stream", new { question, k = 10 }));
            }

            foreach (var name in names[caller])
            {
                cases.Add(new Probe($"{caller}: entity search \"{name}\"", caller, HttpMethod.Get, $"/v1/entities?search={Uri.EscapeDataString(name)}&limit=1000", null));
            }

            foreach (var name in otherNames.Concat(["Maria Keller", "Northwind Systems"]))
            {
                cases.Add(new Probe($"{caller}: entity \"{name}\"", caller, HttpMethod.Get, $"/v1/entities/{Uri.EscapeDataString(name)}", null));
            }

            foreach (var id in otherEntities.Take(5))
            {
                cases.Add(new Probe($"{caller}: entity by {other}'s id {id}", caller, HttpMethod.Get, $"/v1/entities/{id}", null));
                cases.Add(new Probe($"{caller}: subgraph of {other}'s id {id}", caller, HttpMethod.Get, $"/v1/subgraph?entity={id}&hops=2", null));
            }

            foreach (var hops in new[] { 1, 2, 3 })
            {
                cases.Add(new Probe($"{caller}: subgraph Maria Keller hops={hops}", caller, HttpMethod.Get, $"/v1/subgraph?entity=Maria%20Keller&hops={hops}&limit=1000", null));
                cases.Add(new Probe($"{caller}: subgraph Northwind Systems hops={hops}", caller, HttpMethod.Get, $"/v1/subgraph?entity=Northwind%20Systems&hops={hops}&limit=1000", null));
            }

            foreach (var (from, to) in new[] { ("Maria Keller", "Northwind Systems"), ("Maria Keller", otherNames[0]), ("Northwind Systems", otherNames[2]), (otherNames[1], "Maria Keller") })
            {
                cases.Add(new Probe($"{caller}: path {from} -> {to}", caller, HttpMethod.Get, $"/v1/paths?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}&maxHops=6", null));
            }

            cases.Add(new Probe($"{caller}: list documents", caller, HttpMethod.Get, "/v1/documents?limit=1000", null));
            foreach (var document in otherDocuments)
            {
                cases.Add(new Probe($"{caller}: get {other}'s {document}", caller, HttpMethod.Get, $"/v1/documents/uploads/{other}/{document}", null));
                cases.Add(new Probe($"{caller}: delete {other}'s {document}", caller, HttpMethod.Delete, $"/v1/documents/uploads/{other}/{document}", null));
            }

            cases.Add(new Probe($"{caller}: upload shared with {other}'s group", caller, HttpMethod.Post, "/v1/documents",
                new { name = "probe.txt", text = "Probe.", acl = new[] { caller == "alice" ? "group:b" : "group:a" } }));
        }

        return cases;
    }

    /// <summary>Requests for something the caller cannot read, each paired with one for something that does not exist.</summary>
    public IEnumerable<(Probe Hidden, Probe Absent)> HiddenVersusAbsent()
    {
        yield return (new Probe("document", "alice", HttpMethod.Get, "/v1/documents/uploads/bob/contoso.txt", null),
            new Probe("document", "alice", HttpMethod.Get, "/v1/documents/uploads/bob/no-such.txt", null));
        yield return (new Probe("delete", "alice", HttpMethod.Delete, "/v1/documents/uploads/bob/wrobel.txt", null),
            new Probe("delete", "alice", HttpMethod.Delete, "/v1/documents/uploads/bob/no-such.txt", null));
        yield return (new Probe("entity", "alice", HttpMethod.Get, "/v1/entities/Contoso%20Labs", null),
            new Probe("entity", "alice", HttpMethod.Get, "/v1/entities/Qwertyuiop%20Labs", null));
        yield return (new Probe("subgraph", "alice", HttpMethod.Get, "/v1/subgraph?entity=Tomasz%20Wrobel&hops=1", null),
            new Probe("subgraph", "alice", HttpMethod.Get, "/v1/subgraph?entity=Zyxw%20Vuts&hops=1", null));
        yield return (new Probe("path", "alice", HttpMethod.Get, "/v1/paths?from=Maria%20Keller&to=Fabrikam%20Bank", null),
            new Probe("path", "alice", HttpMethod.Get, "/v1/paths?from=Maria%20Keller&to=Qwerty%20Bank", null));
        yield return (new Probe("search", "alice", HttpMethod.Get, "/v1/entities?search=Nightjar", null),
            new Probe("search", "alice", HttpMethod.Get, "/v1/entities?search=Qwertyjar", null));
        foreach (var id in _bobOnlyEntities.Take(3))
        {
            yield return (new Probe("entity id", "alice", HttpMethod.Get, $"/v1/entities/{id}", null),
                new Probe("entity id", "alice", HttpMethod.Get, $"/v1/entities/{new string('0', id.Length)}", null));
        }
    }

    /// <summary>The body without the question the probe sent, wherever it is echoed.</summary>
    public static string WithoutQuestion(string body, Probe probe)
    {
        if (probe.Body?.GetType().GetProperty("question")?.GetValue(probe.Body) is not string question)
        {
            return body;
        }

        // Each retrieval round's query is the question's words plus bridge entities: drop the question's words, keep the rest.
        var words = System.Text.RegularExpressions.Regex.Matches(question, @"\w+").Select(m => m.Value).ToList();
        body = System.Text.RegularExpressions.Regex.Replace(body, "\"query\":\"((?:[^\"\\\\]|\\\\.)*)\"", m =>
            "\"query\":\"" + words.Aggregate(m.Groups[1].Value, (text, word) =>
                System.Text.RegularExpressions.Regex.Replace(text, $@"\b{System.Text.RegularExpressions.Regex.Escape(word)}\b", string.Empty, System.Text.RegularExpressions.RegexOptions.IgnoreCase)) + "\"");
        return body.Replace(question, string.Empty, StringComparison.Ordinal);
    }

    /// <summary>A body with the per-request trace id removed, so two problem documents can be compared.</summary>
    public static string WithoutTraceId(string body) =>
        System.Text.RegularExpressions.Regex.Replace(body, "\"traceId\":\"[^\"]*\"", "\"traceId\":\"\"");

    private async Task Upload(string caller, string name, string text) =>
        (await ApiServer.UploadTextAsync(_clients[caller], name, text)).StatusCode.Should().Be(HttpStatusCode.Created);
}
