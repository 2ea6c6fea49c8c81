using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Graph.Security;
using GraphRag.Ingest.Pipeline;
using GraphRag.Query.Security;

namespace GraphRag.Conformance;

/// <summary>
/// The access index (<see cref="IAccessIndex"/>) every read path takes its scope from: the store's generation moves on
/// every write and delete and on nothing else, each document's ACL, personal-data policy and sensitive spans read back
/// exactly as written (hostile values included), and a caller's readable set follows them from one generation to the next.
/// </summary>
public abstract class AccessIndexConformanceTests : BackendConformanceTests
{
    private IGraphBackend _store = null!;

    private IAccessIndex Access => _store.Access;

    private IDocumentWriter Writer => _store.Writer;

    public override async Task InitializeAsync() => _store = await NewBackendAsync("store");

    [Fact]
    public async Task Generation_MovesOnEveryWriteAndDeleteAndOnNothingElse()
    {
        var generations = new List<long> { await Access.GetGenerationAsync() };
        async Task StepAsync(Func<Task> write, bool moves, string what)
        {
            await write();
            var now = await Access.GetGenerationAsync();
            if (moves)
            {
                now.Should().BeGreaterThan(generations[^1], what);
            }
            else
            {
                now.Should().Be(generations[^1], what);
            }

            (await Access.GetAccessListAsync()).Generation.Should().Be(now, "the list is read at the generation it reports ({0})", what);
            generations.Add(now);
        }

        var first = Bundles.Create("a", "First text.");
        await StepAsync(() => Writer.UpsertAsync(first), moves: true, "an added document");
        await StepAsync(() => Writer.UpsertAsync(first), moves: false, "an unchanged upsert");
        await StepAsync(() => Writer.UpsertAsync(Bundles.Create("a", "Second text.")), moves: true, "a replace");
        await StepAsync(() => Writer.UpsertManyAsync([Bundles.Create("b", "B."), Bundles.Create("c", "C.")]), moves: true, "a batch");
        await StepAsync(() => Writer.UpsertManyAsync([Bundles.Create("b", "B."), Bundles.Create("c", "C.")]), moves: false, "an unchanged batch");
        await StepAsync(() => Writer.DeleteAsync("b"), moves: true, "a delete");
        await StepAsync(() => Writer.DeleteAsync("b"), moves: false, "a delete of a missing document");
        await StepAsync(() => Writer.UpsertAsync(Bundles.Create("b", "B.")), moves: true, "a re-ingest after the delete");
        await StepAsync(async () => await _store.Keys.AddAsync(new ApiKeyRecord("0123456789ab", [1, 2, 3], "alice", [], [], DateTimeOffset.UnixEpoch)), moves: false, "a key");
        await StepAsync(async () => await _store.Audit.AppendAsync(new AuditEntry(0, DateTimeOffset.UnixEpoch, "alice", "query", null, "ok", new Dictionary<string, string>())), moves: false, "an audit entry");
        await StepAsync(() => _store.Backfill.SetSensitiveAsync(new Dictionary<string, IReadOnlyList<SensitiveSpan>> { ["a"] = [new(0, 6, "NAME")] }), moves: true, "recorded spans");
    }

    [Fact]
    public async Task Generation_AfterAFailedWrite_StaysWhereItWas()
    {
        await Writer.UpsertAsync(WithAcl(Bundles.Create("a", "One.\n\nTwo."), "group:a"));
        var before = await Access.GetAccessListAsync();
        var broken = WithAcl(Bundles.Create("a", "Three.\n\nFour."), "group:b");
        broken = broken with { Chunks = [broken.Chunks[0], broken.Chunks[1] with { Id = broken.Chunks[0].Id }] };

        var write = () => Writer.UpsertAsync(broken);

        await write.Should().ThrowAsync<Exception>();
        (await Access.GetAccessListAsync()).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task AccessList_ReadsBackEveryDocumentsAclExactly()
    {
        var acls = new Dictionary<string, string[]>
        {
            ["open"] = [],
            ["everyone"] = [AccessControl.Everyone],
            ["group-a"] = ["group:a"],
            ["mixed"] = ["group:a", "group:b", "user:carol"],
            ["unsorted"] = ["user:zed", "group:a", "*"],
        };
        foreach (var (id, acl) in acls)
        {
            await Writer.UpsertAsync(WithAcl(Bundles.Create(id, $"Text of {id}."), acl));
        }

        var list = await Access.GetAccessListAsync();

        list.Documents.Select(d => d.DocumentId).Should().BeEquivalentTo(acls.Keys);
        foreach (var document in list.Documents)
        {
            document.Acl.Should().Equal(acls[document.DocumentId], "document {0}'s ACL reads back as written", document.DocumentId);
        }
    }

    [Fact]
    public async Task AccessList_AfterReplaceAndDelete_ShowsOnlyTheCurrentDocumentsAndAcls()
    {
        await Writer.UpsertAsync(WithAcl(Bundles.Create("moved", "Memo."), "group:a"));
        await Writer.UpsertAsync(WithAcl(Bundles.Create("deleted", "Gone."), "group:a"));
        await Writer.UpsertAsync(WithAcl(Bundles.Create("kept", "Kept."), "group:b"));

        var moved = WithAcl(Bundles.Create("moved", "Memo."), "group:b", "user:alice");
        await Writer.UpsertAsync(moved with { Document = moved.Document with { ContentHash = "changed-acl" } });
        await Writer.DeleteAsync("deleted");
        var list = await Access.GetAccessListAsync();

        list.Documents.Select(d => (d.DocumentId, string.Join(',', d.Acl)))
            .Should().BeEquivalentTo([("moved", "group:b,user:alice"), ("kept", "group:b")]);
    }

    [Fact]
    public async Task AccessList_PiiPolicyAndSensitiveSpans_RoundTrip()
    {
        SensitiveSpan[] spans = [new(0, 5, "EMAIL"), new(10, 24, "CARD"), new(30, 31, "PHONE")];
        await Writer.UpsertAsync(WithPolicy(Bundles.Create("masked", "alice@example.org paid 4111 1111 1111 1111 by 5."), "mask", spans));
        await Writer.UpsertAsync(WithPolicy(Bundles.Create("kept", "Nothing personal."), "keep", []));
        await Writer.UpsertAsync(Bundles.Create("plain", "No policy recorded."));

        var list = (await Access.GetAccessListAsync()).Documents.ToDictionary(d => d.DocumentId);

        list["masked"].PiiPolicy.Should().Be("mask");
        list["masked"].Sensitive.Should().Equal(spans);
        list["kept"].PiiPolicy.Should().Be("keep");
        list["kept"].Sensitive.Should().NotBeNull().And.BeEmpty();
        list["plain"].PiiPolicy.Should().BeNull();
        list["plain"].Sensitive.Should().BeNullOrEmpty("no spans were written for it");
        (await _store.Documents.GetDocumentAsync("masked"))!.Sensitive.Should().Equal(spans);
    }

    [Fact]
    public async Task Backfill_RecordedSpans_AreReadBackByTheAccessListAndTheReader()
    {
        await Writer.UpsertAsync(WithPolicy(Bundles.Create("a", "Call 555-0100 today."), "mask", []));
        await Writer.UpsertAsync(WithPolicy(Bundles.Create("b", "Nothing here."), "mask", []));
        (await _store.Backfill.GetUnscannedAsync(10)).Should().BeEmpty("documents written with their spans need no backfill");
        SensitiveSpan[] spans = [new(5, 13, "PHONE")];

        await _store.Backfill.SetSensitiveAsync(new Dictionary<string, IReadOnlyList<SensitiveSpan>> { ["a"] = spans });

        var list = (await Access.GetAccessListAsync()).Documents.ToDictionary(d => d.DocumentId);
        list["a"].Sensitive.Should().Equal(spans);
        list["b"].Sensitive.Should().BeEmpty();
        (await _store.Documents.GetDocumentAsync("a"))!.Sensitive.Should().Equal(spans);
    }

    [Theory]
    [MemberData(nameof(HostileValues.Strings), MemberType = typeof(HostileValues))]
    public async Task AccessList_HostileIdsAclEntriesPoliciesAndLabels_ReadBackVerbatim(string hostile)
    {
        SensitiveSpan[] spans = [new(0, 6, hostile)];
        var bundle = WithPolicy(WithAcl(Bundles.Create(hostile, $"Before {hostile} after."), hostile, "group:a"), hostile, spans);
        var generation = await Access.GetGenerationAsync();

        await Writer.UpsertAsync(bundle);

        var list = await Access.GetAccessListAsync();
        list.Generation.Should().BeGreaterThan(generation);
        var access = list.Documents.Should().ContainSingle().Subject;
        access.DocumentId.Should().Be(hostile);
        access.Acl.Should().Equal(hostile, "group:a");
        access.PiiPolicy.Should().Be(hostile);
        access.Sensitive.Should().Equal(spans);
        (await Writer.DeleteAsync(hostile)).Should().BeTrue();
        (await Access.GetAccessListAsync()).Documents.Should().BeEmpty();
    }

    [Fact]
    public async Task Scopes_ReadableDocumentsFollowTheAccessListFromGenerationToGeneration()
    {
        var scopes = new AccessScopes(Access);
        var alice = new Caller("alice", ["a"], []);
        await Writer.UpsertManyAsync(
        [
            Bundles.Create("open", "Open."),
            WithAcl(Bundles.Create("everyone", "Everyone."), AccessControl.Everyone),
            WithAcl(Bundles.Create("group-a", "Group a."), "group:a"),
            WithAcl(Bundles.Create("user-alice", "Alice."), "user:alice"),
            WithAcl(Bundles.Create("group-b", "Group b."), "group:b"),
            WithAcl(Bundles.Create("user-bob", "Bob."), "user:bob"),
        ]);

        var before = await scopes.ForAsync(alice);
        var moved = WithAcl(Bundles.Create("group-a", "Group a."), "group:b");
        await Writer.UpsertAsync(moved with { Document = moved.Document with { ContentHash = "changed-acl" } });
        await Writer.DeleteAsync("user-alice");
        await Writer.UpsertAsync(WithAcl(Bundles.Create("new-a", "New."), "group:a"));
        var after = await scopes.ForAsync(alice);

        before!.ReadableDocuments.Should().BeEquivalentTo(["open", "everyone", "group-a", "user-alice"]);
        after!.ReadableDocuments.Should().BeEquivalentTo(["open", "everyone", "new-a"]);
        (await scopes.CanReadAsync(alice, "group-a")).Should().BeFalse();
        (await scopes.CanReadAsync(Caller.LocalAdministrator, "group-b")).Should().BeTrue();
        (await scopes.CanReadAsync(Caller.LocalAdministrator, "user-alice")).Should().BeFalse("it no longer exists");
    }

    private static DocumentBundle WithAcl(DocumentBundle bundle, params string[] acl) =>
        bundle with { Document = bundle.Document with { Acl = acl } };

    private static DocumentBundle WithPolicy(DocumentBundle bundle, string policy, IReadOnlyList<SensitiveSpan> spans) =>
        bundle with
        {
            Document = bundle.Document with
            {
                Metadata = new Dictionary<string, string>(bundle.Document.Metadata) { [IngestionPipeline.PiiPolicyKey] = policy },
                Sensitive = spans,
            },
        };
}
