using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GraphRag.Graph.Abstractions;

namespace GraphRag.Api.Tests.Http;

/// <summary>The HTTP API over real HTTP on loopback: authentication, documents, bad input, jobs, limits, PII and audit.</summary>
public sealed class HttpApiTests : IAsyncLifetime
{
    private ApiServer _server = null!;

    public async Task InitializeAsync() => _server = await ApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string, string> V1Routes => new()
    {
        { "POST", "/v1/query" },
        { "POST", "/v1/query/stream" },
        { "POST", "/v1/documents" },
        { "GET", "/v1/documents" },
        { "GET", "/v1/documents/a.txt" },
        { "DELETE", "/v1/documents/a.txt" },
        { "POST", "/v1/ingest-jobs" },
        { "GET", "/v1/ingest-jobs/0123456789abcdef" },
        { "GET", "/v1/entities?search=x" },
        { "GET", "/v1/entities/e1" },
        { "GET", "/v1/subgraph?entity=x&hops=1" },
        { "GET", "/v1/paths?from=a&to=b" },
        { "GET", "/v1/no-such-route" },
    };

    [Theory]
    [MemberData(nameof(V1Routes))]
    public async Task V1Route_WithoutKey_Answers401ProblemWithBearerChallenge(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method == "POST" ? JsonContent.Create(new { question = "x" }) : null,
        };
        var response = await _server.Client().SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().Should().StartWith("Bearer");
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await ApiServer.ReadJsonAsync(response)).GetProperty("status").GetInt32().Should().Be(401);
    }

    [Theory]
    [InlineData("grk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("not-a-key")]
    [InlineData("grk_")]
    [InlineData("grk_'; DROP TABLE api_keys; --_x")]
    public async Task Query_WithUnknownOrMalformedKey_Answers401(string key)
    {
        var response = await _server.Client(key).PostAsJsonAsync("/v1/query", new { question = "Who?" });

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Query_WithRevokedKeyOrWrongSecret_Answers401()
    {
        var created = await _server.Keys.CreateAsync("dora", ["a"], []);
        (await _server.Client(created.Key).PostAsJsonAsync("/v1/query", new { question = "Who?" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var wrongSecret = created.Key[..^4] + (created.Key.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        (await _server.Client(wrongSecret).PostAsJsonAsync("/v1/query", new { question = "Who?" })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        (await _server.Keys.RevokeAsync(created.Record.Id)).Should().BeTrue();

        (await _server.Client(created.Key).PostAsJsonAsync("/v1/query", new { question = "Who?" })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task X_Api_Key_Header_IsAcceptedLikeBearer()
    {
        var created = await _server.Keys.CreateAsync("erin", ["a"], []);
        var client = _server.Client();
        client.DefaultRequestHeaders.Add("X-Api-Key", created.Key);

        (await client.GetAsync("/v1/documents")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task UnknownRouteAndWrongMethod_AreProblemDocuments()
    {
        var alice = await _server.ClientForAsync("alice", ["a"]);

        var missing = await alice.GetAsync("/v1/nothing-here");
        var wrongMethod = await alice.PutAsJsonAsync("/v1/query", new { question = "x" });
        var outside = await _server.Client().GetAsync("/nothing-here");

        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        wrongMethod.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        outside.StatusCode.Should().Be(HttpStatusCode.NotFound);
        foreach (var response in new[] { missing, wrongMethod, outside })
        {
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        }
    }

    [Fact]
    public async Task HealthAndReadiness_NeedNoKey()
    {
        (await _server.Client().GetAsync("/healthz")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _server.Client().GetAsync("/readyz")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task OpenApiDocument_ListsEveryRouteAndReferencePageServes()
    {
        var response = await _server.Client().GetAsync("/openapi/v1.json");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var paths = (await ApiServer.ReadJsonAsync(response)).GetProperty("paths");
        var listed = paths.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateObject().Select(m => m.Name).ToHashSet());

        var expected = new (string Path, string Method)[]
        {
            ("/v1/documents", "post"), ("/v1/documents", "get"), ("/v1/documents/{id}", "get"), ("/v1/documents/{id}", "delete"),
            ("/v1/ingest-jobs", "post"), ("/v1/ingest-jobs/{id}", "get"), ("/v1/query", "post"), ("/v1/query/stream", "post"),
            ("/v1/entities", "get"), ("/v1/entities/{id}", "get"), ("/v1/subgraph", "get"), ("/v1/paths", "get"),
            ("/healthz", "get"), ("/readyz", "get"),
        };
        foreach (var (path, method) in expected)
        {
            listed.Should().ContainKey(path);
            listed[path].Should().Contain(method, $"{method} {path} is a route");
        }

        var document = await ApiServer.ReadJsonAsync(await _server.Client().GetAsync("/openapi/v1.json"));
        document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey").GetProperty("scheme").GetString().Should().Be("bearer");
        paths.GetProperty("/v1/query").GetProperty("post").GetProperty("security").GetArrayLength().Should().Be(1);
        paths.GetProperty("/healthz").GetProperty("get").TryGetProperty("security", out _).Should().BeFalse();

        var docs = await _server.Client().GetAsync("/docs/index.html");
        docs.StatusCode.Should().Be(HttpStatusCode.OK);
        (await docs.Content.ReadAsStringAsync()).Should().Contain("swagger");
    }

    [Fact]
    public async Task Document_UploadReadListDelete_RoundTrips()
    {
        var alice = await _server.ClientForAsync("alice", ["a"], "write");

        var upload = await ApiServer.UploadTextAsync(alice, "notes.md", "# Notes\n\nAda Lovelace wrote the first program for the Analytical Engine.");
        upload.StatusCode.Should().Be(HttpStatusCode.Created);
        var id = (await ApiServer.ReadJsonAsync(upload)).GetProperty("id").GetString()!;
        id.Should().Be("uploads/alice/notes.md");
        upload.Headers.Location!.ToString().Should().Be("/v1/documents/uploads/alice/notes.md");

        var document = await ApiServer.ReadJsonAsync(await alice.GetAsync("/v1/documents/" + id));
        document.GetProperty("text").GetString().Should().Contain("Analytical Engine");
        document.GetProperty("acl").EnumerateArray().Select(e => e.GetString()).Should().Equal("group:a");
        document.GetProperty("metadata").GetProperty("uploaded.by").GetString().Should().Be("alice");

        var again = await ApiServer.UploadTextAsync(alice, "notes.md", "# Notes\n\nAda Lovelace wrote the first program for the Analytical Engine.");
        again.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ApiServer.ReadJsonAsync(again)).GetProperty("status").GetString().Should().Be("unchanged");

        var list = await ApiServer.ReadJsonAsync(await alice.GetAsync("/v1/documents"));
        list.GetProperty("total").GetInt32().Should().Be(1);

        (await alice.DeleteAsync("/v1/documents/" + id)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await alice.GetAsync("/v1/documents/" + id)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await alice.DeleteAsync("/v1/documents/" + id)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Writers_CannotPublishToEveryoneOrDeleteOthersUploads()
    {
        var alice = await _server.ClientForAsync("alice", ["a"], "write");
        var dave = await _server.ClientForAsync("dave", ["a"], "write");
        (await ApiServer.UploadTextAsync(dave, "plan.txt", "Dave's plan for the Harbour Town station.")).StatusCode.Should().Be(HttpStatusCode.Created);

        var everyone = await alice.PostAsJsonAsync("/v1/documents", new { name = "pub.txt", text = "Public text.", acl = Array.Empty<string>() });
        var star = await ApiServer.UploadTextAsync(alice, "pub.txt", "Public text.", acl: ["*"]);
        var readable = await alice.GetAsync("/v1/documents/uploads/dave/plan.txt");
        var delete = await alice.DeleteAsync("/v1/documents/uploads/dave/plan.txt");

        everyone.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        star.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        readable.StatusCode.Should().Be(HttpStatusCode.OK, "alice and dave share group a");
        delete.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await _server.Engine.SqliteStore().GetDocumentAsync("uploads/dave/plan.txt")).Should().NotBeNull();
    }

    [Fact]
    public async Task Writes_WithoutWriteGrant_Answer403AndStoreNothing()
    {
        var reader = await _server.ClientForAsync("rita", ["a"]);

        var response = await ApiServer.UploadTextAsync(reader, "x.txt", "Some text about Paris.");

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await _server.Engine.SqliteStore().GetCountsAsync()).Documents.Should().Be(0);
    }

    [Fact]
    public async Task BadUploads_AreProblemsAndLeaveStoredDocumentsUntouched()
    {
        var alice = await _server.ClientForAsync("alice", ["a"], "write");
        (await ApiServer.UploadTextAsync(alice, "keep.txt", "Grace Hopper built the first compiler.")).StatusCode.Should().Be(HttpStatusCode.Created);
        var before = await _server.Engine.SqliteStore().GetDocumentAsync("uploads/alice/keep.txt");

        var corruptPdf = await UploadFileAsync(alice, "broken.pdf", Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog"));
        var randomDocx = await UploadFileAsync(alice, "random.docx", Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251)).ToArray());
        var wrongType = await alice.PostAsync("/v1/documents", new StringContent("plain body", Encoding.UTF8, "text/plain"));
        var badExtension = await UploadFileAsync(alice, "tool.exe", [1, 2, 3]);
        var badJson = await alice.PostAsync("/v1/documents", new StringContent("{\"name\": \"a.txt\", \"text\": ", Encoding.UTF8, "application/json"));
        var noText = await alice.PostAsJsonAsync("/v1/documents", new { name = "a.txt" });
        var traversal = await alice.PostAsJsonAsync("/v1/documents", new { name = "../../etc/passwd.txt", text = "x" });
        var foreignAcl = await ApiServer.UploadTextAsync(alice, "x.txt", "Text.", acl: ["group:b"]);
        var badAcl = await ApiServer.UploadTextAsync(alice, "x.txt", "Text.", acl: ["root"]);
        var personalName = await ApiServer.UploadTextAsync(alice, "call 415-555-0132.txt", "Text.");
        var reserved = await alice.PostAsJsonAsync("/v1/documents", new { name = "x.txt", text = "Text.", metadata = new Dictionary<string, string> { ["pii.policy"] = "keep" } });

        corruptPdf.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await ApiServer.ReadJsonAsync(corruptPdf)).GetProperty("detail").GetString().Should().Contain("broken.pdf");
        randomDocx.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        wrongType.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        badExtension.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        badJson.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        noText.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        traversal.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        foreignAcl.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        badAcl.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        reserved.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        personalName.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        foreach (var response in new[] { corruptPdf, randomDocx, wrongType, badExtension, badJson, noText, traversal, foreignAcl, badAcl, reserved, personalName })
        {
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json", response.RequestMessage!.RequestUri!.ToString());
        }

        (await _server.Engine.SqliteStore().GetCountsAsync()).Documents.Should().Be(1);
        (await _server.Engine.SqliteStore().GetDocumentAsync("uploads/alice/keep.txt")).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task OversizedBodies_Answer413()
    {
        await using var small = await ApiServer.StartAsync(s => s.Api.MaxUploadBytes = 16 * 1024);
        var alice = await small.ClientForAsync("alice", ["a"], "write");

        var upload = await UploadFileAsync(alice, "big.txt", Encoding.ASCII.GetBytes(new string('a', 64 * 1024)));
        var query = await alice.PostAsJsonAsync("/v1/query", new { question = new string('q', 100 * 1024) });

        upload.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        query.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await small.Engine.SqliteStore().GetCountsAsync()).Documents.Should().Be(0);
    }

    /// <summary>Regression: these raised InvalidDataException or IOException inside form parsing and answered 500.</summary>
    [Theory]
    [InlineData("multipart/form-data; boundary=XyZ", "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\r\n\r\nhello\r\n--XyZ--\r\n")]
    [InlineData("multipart/form-data", "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nhello\r\n--XyZ--\r\n")]
    [InlineData("multipart/form-data; boundary=XyZ", "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nhello and nothing that ever closes the part")]
    public async Task MalformedMultipart_Answers400ProblemAndStoresNothing(string contentType, string body)
    {
        var alice = await _server.ClientForAsync("alice", ["a"], "write");
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await alice.PostAsync("/v1/documents", content);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await ApiServer.ReadJsonAsync(response)).GetProperty("status").GetInt32().Should().Be(400);
        (await _server.Engine.SqliteStore().GetCountsAsync()).Documents.Should().Be(0);
    }

    /// <summary>Regression: a 1.1 MB JSON upload was stored although JSON bodies are limited to MaxJsonBytes (1 MB).</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task JsonUpload_OverMaxJsonBytes_Answers413WhetherDeclaredOrStreamed(bool declareLength)
    {
        var alice = await _server.ClientForAsync("alice", ["a"], "write");
        var json = JsonSerializer.Serialize(new { name = "big.txt", text = string.Join(' ', Enumerable.Repeat("word", 230_000)) });
        json.Length.Should().BeGreaterThan(1_100_000);
        HttpContent content = declareLength
            ? new StringContent(json, Encoding.UTF8, "application/json")
            : new StreamContent(new NoLengthStream(Encoding.UTF8.GetBytes(json)));
        if (!declareLength)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        var response = await alice.PostAsync("/v1/documents", content);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await _server.Engine.SqliteStore().GetCountsAsync()).Documents.Should().Be(0);
        // Just under the limit is fine.
        (await ApiServer.UploadTextAsync(alice, "fits.txt", string.Join(' ', Enumerable.Repeat("word", 180_000)))).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("{\"question\": \"\"}")]
    [InlineData("{\"question\": \"Who?\", \"mode\": \"magic\"}")]
    [InlineData("{\"question\": \"Who?\", \"k\": 0}")]
    [InlineData("{\"question\": \"Who?\", \"k\": 101}")]
    [InlineData("{\"question\": \"Who?\", \"hops\": 11}")]
    [InlineData("{\"question\": 42}")]
    [InlineData("[1, 2]")]
    public async Task Query_WithBadBody_Answers400Problem(string body)
    {
        var alice = await _server.ClientForAsync("alice", ["a"]);

        var response = await alice.PostAsync("/v1/query", new StringContent(body, Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task RateLimit_PerKey_Answers429WithRetryAfterAndOtherKeysGoOn()
    {
        await using var limited = await ApiServer.StartAsync(s =>
        {
            s.Api.RequestsPerSecond = 1;
            s.Api.Burst = 3;
        });
        var alice = await limited.ClientForAsync("alice", ["a"]);
        var bob = await limited.ClientForAsync("bob", ["b"]);
        var aliceSecondKey = await limited.ClientForAsync("alice", ["a"]);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await alice.GetAsync("/v1/documents")).StatusCode);
        }

        statuses.Should().Contain(HttpStatusCode.TooManyRequests);
        var rejected = await alice.GetAsync("/v1/documents");
        rejected.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        rejected.Headers.RetryAfter.Should().NotBeNull();
        rejected.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await bob.GetAsync("/v1/documents")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await aliceSecondKey.GetAsync("/v1/documents")).StatusCode.Should().Be(HttpStatusCode.OK, "limits are per key");
    }

    [Fact]
    public async Task FailedAuthentications_AreLimitedPerAddressBeforeAnyKeyLookup()
    {
        await using var limited = await ApiServer.StartAsync(s =>
        {
            s.Api.RequestsPerSecond = 1;
            s.Api.Burst = 3;
        });
        var guesser = limited.Client("grk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await guesser.GetAsync("/v1/documents")).StatusCode);
        }

        statuses.Take(3).Should().OnlyContain(s => s == HttpStatusCode.Unauthorized);
        statuses.Should().Contain(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task IngestJob_RunsUnderRootWhileQueriesSucceed_AndIsRestrictedToAdministrators()
    {
        var admin = await _server.ClientForAsync("root", [], "admin");
        var alice = await _server.ClientForAsync("alice", ["a"], "write");
        CopyFolder(Path.Combine(CliTests.RepositoryRoot(), "samples", "corpus"), Path.Combine(_server.IngestRoot, "corpus"));

        (await alice.PostAsJsonAsync("/v1/ingest-jobs", new { paths = new[] { _server.IngestRoot } })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await admin.PostAsJsonAsync("/v1/ingest-jobs", new { paths = new[] { "/etc" } })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await admin.PostAsJsonAsync("/v1/ingest-jobs", new { paths = new[] { Path.Combine(_server.IngestRoot, "..", "api.db") } })).StatusCode
            .Should().Be(HttpStatusCode.Forbidden);
        (await admin.PostAsJsonAsync("/v1/ingest-jobs", new { paths = Array.Empty<string>() })).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        // A symbolic link inside the root leads nowhere outside it, whether named directly or met while walking.
        var outside = Path.Combine(_server.Root, "outside");
        Directory.CreateDirectory(outside);
        await File.WriteAllTextAsync(Path.Combine(outside, "secret.txt"), "The vault code word is pelican-umbrella.");
        Directory.CreateSymbolicLink(Path.Combine(_server.IngestRoot, "linked"), outside);
        (await admin.PostAsJsonAsync("/v1/ingest-jobs", new { paths = new[] { Path.Combine(_server.IngestRoot, "linked", "secret.txt") } })).StatusCode
            .Should().Be(HttpStatusCode.Forbidden);

        var created = await admin.PostAsJsonAsync("/v1/ingest-jobs", new { paths = new[] { Path.Combine(_server.IngestRoot, "corpus", "**", "*.md") } });
        created.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var job = await ApiServer.ReadJsonAsync(created);
        var location = created.Headers.Location!.ToString();

        // Queries keep answering while the job writes.
        var queries = 0;
        string state;
        do
        {
            var query = await alice.PostAsJsonAsync("/v1/query", new { question = "Who founded Tidewater Robotics?" });
            query.StatusCode.Should().Be(HttpStatusCode.OK);
            queries++;
            state = (await ApiServer.ReadJsonAsync(await admin.GetAsync(location))).GetProperty("state").GetString()!;
        }
        while (state is "queued" or "running" && queries < 10_000);

        state.Should().Be("succeeded");
        var whole = await admin.PostAsJsonAsync("/v1/ingest-jobs", new { paths = new[] { _server.IngestRoot } });
        var wholeLocation = whole.Headers.Location!.ToString();
        while ((await ApiServer.ReadJsonAsync(await admin.GetAsync(wholeLocation))).GetProperty("state").GetString() is "queued" or "running")
        {
            await alice.GetAsync("/v1/documents");
        }

        (await ApiServer.ReadJsonAsync(await admin.GetAsync(wholeLocation))).GetProperty("results").EnumerateArray()
            .Should().NotContain(r => r.GetProperty("source").GetString()!.Contains("secret", StringComparison.Ordinal));
        var vault = await alice.PostAsJsonAsync("/v1/query", new { question = "What is the vault code word?" });
        (await vault.Content.ReadAsStringAsync()).Should().NotContain("pelican");
        var finished = await ApiServer.ReadJsonAsync(await admin.GetAsync(location));
        finished.GetProperty("progress").GetProperty("added").GetInt32().Should().BeGreaterThan(0);
        finished.GetProperty("progress").GetProperty("failed").GetInt32().Should().Be(0);
        finished.GetProperty("results").EnumerateArray().Should().OnlyContain(r => r.GetProperty("source").GetString()!.EndsWith(".md"));
        (await alice.GetAsync($"/v1/ingest-jobs/{job.GetProperty("id").GetString()}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task QueryStream_SendsServerSentEventsEndingWithDone()
    {
        var alice = await _server.ClientForAsync("alice", ["a"], "write");
        await ApiServer.UploadTextAsync(alice, "ada.txt", "Ada Lovelace wrote the first program for the Analytical Engine of Charles Babbage.");

        var response = await alice.PostAsJsonAsync("/v1/query/stream", new { question = "Who wrote the first program for the Analytical Engine?" });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        var events = (await response.Content.ReadAsStringAsync()).Split('\n')
            .Where(l => l.StartsWith("event: ", StringComparison.Ordinal)).Select(l => l[7..].Trim()).ToList();
        events.First().Should().Be("accepted");
        events.Should().Contain(["passage", "citation", "answer"]);
        events.Last().Should().Be("done");
    }

    [Fact]
    public async Task Audit_RecordsQueriesAndChangesWithoutDocumentText()
    {
        var alice = await _server.ClientForAsync("alice", ["a"], "write");
        await ApiServer.UploadTextAsync(alice, "secret.txt", "The vault code word is pelican-umbrella.");
        await alice.PostAsJsonAsync("/v1/query", new { question = "What is the vault code word?" });
        await alice.DeleteAsync("/v1/documents/uploads/alice/secret.txt");
        await _server.Server.FlushAuditAsync();

        var entries = await ((IAuditLog)_server.Engine.SqliteStore()).ReadAsync(new AuditQuery(100, "alice"));

        entries.Select(e => e.Action).Should().Contain(["document.upload", "query", "document.delete"]);
        entries.Should().OnlyContain(e => e.Principal == "alice");
        var all = JsonSerializer.Serialize(entries);
        all.Should().NotContain("pelican").And.NotContain("vault code");
    }

    [Fact]
    public async Task AnonymousAccess_OnlyWhenEnabledAndOnlyOnLoopback()
    {
        await using var open = await ApiServer.StartAsync(s => s.Api.AllowAnonymous = true);
        (await open.Client().GetAsync("/v1/documents")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await open.Client("grk_bad_key").GetAsync("/v1/documents")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var act = async () => await ApiServer.StartAsync(s =>
        {
            s.Api.AllowAnonymous = true;
            s.Api.Urls = "http://0.0.0.0:0";
        });
        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*loopback*");
    }

    /// <summary>
    /// Regression: --allow-anonymous made every keyless caller an administrator (every tenant's documents, personal data
    /// unmasked, deletes). A keyless caller now reads public documents only, masked, and cannot write or administer.
    /// </summary>
    [Fact]
    public async Task AnonymousCaller_GetsLeastPrivilege()
    {
        await using var open = await ApiServer.StartAsync(s => s.Api.AllowAnonymous = true);
        var admin = await open.ClientForAsync("root", [], "admin", "pii", "write");
        (await admin.PostAsJsonAsync("/v1/documents", new { name = "public.txt", text = "Mira Okonkwo is reachable at mira.okonkwo@records-example.net about the harbour.", acl = Array.Empty<string>() })).StatusCode.Should().Be(HttpStatusCode.Created);
        (await admin.PostAsJsonAsync("/v1/documents", new { name = "everyone.txt", text = "The harbour opens at dawn.", acl = new[] { "*" } })).StatusCode.Should().Be(HttpStatusCode.Created);
        (await admin.PostAsJsonAsync("/v1/documents", new { name = "tenant.txt", text = "Contoso Harbour Ltd keeps its ledger in Berlin.", acl = new[] { "group:a" } })).StatusCode.Should().Be(HttpStatusCode.Created);
        var anonymous = open.Client();

        var list = await ApiServer.ReadJsonAsync(await anonymous.GetAsync("/v1/documents"));
        var ids = list.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("id").GetString()).ToList();
        var publicText = await ApiServer.ReadJsonAsync(await anonymous.GetAsync("/v1/documents/uploads/root/public.txt"));
        var tenant = await anonymous.GetAsync("/v1/documents/uploads/root/tenant.txt");
        var query = await anonymous.PostAsJsonAsync("/v1/query", new { question = "In which city is the ledger kept?" });
        var upload = await ApiServer.UploadTextAsync(anonymous, "mine.txt", "Anything.");
        var delete = await anonymous.DeleteAsync("/v1/documents/uploads/root/public.txt");
        var job = await anonymous.PostAsJsonAsync("/v1/ingest-jobs", new { paths = new[] { open.IngestRoot } });

        ids.Should().BeEquivalentTo(["uploads/root/everyone.txt", "uploads/root/public.txt"]);
        list.GetProperty("total").GetInt32().Should().Be(2);
        publicText.GetProperty("text").GetString().Should().Contain("[EMAIL]").And.NotContain("mira.okonkwo@");
        tenant.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await query.Content.ReadAsStringAsync()).Should().NotContain("Berlin").And.NotContain("Contoso");
        upload.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        delete.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        job.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await open.Engine.SqliteStore().GetCountsAsync()).Documents.Should().Be(3);
    }

    private static Task<HttpResponseMessage> UploadFileAsync(HttpClient client, string name, byte[] content)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", name);
        return client.PostAsync("/v1/documents", form);
    }

    /// <summary>A body without a declared length, so the server must enforce its limit while reading.</summary>
    private sealed class NoLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
