using System.Collections.Immutable;
using GraphRag.Graph.Abstractions;

namespace GraphRag.Conformance;

/// <summary>API keys and the audit log: the part of the store contract the HTTP host authenticates and audits with.</summary>
public abstract partial class StoreConformanceTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 9, 30, 0, TimeSpan.Zero);

    private static ApiKeyRecord Key(string id, string principal = "alice", DateTimeOffset? created = null) => new(
        id,
        ImmutableArray.Create(Enumerable.Range(0, 32).Select(i => (byte)(i * 5 + id.Length)).ToArray()),
        principal,
        ["research", "ops"],
        ["pii", "write"],
        created ?? T0);

    private static AuditEntry Entry(string principal, DateTimeOffset at, string action = "query", string? target = null) =>
        new(0, at, principal, action, target, "ok", new Dictionary<string, string> { ["mode"] = "hybrid", ["passages"] = "5" });

    [Fact]
    public async Task Keys_AddThenGetAndList_RoundTripEveryField()
    {
        var key = Key("0123456789ab");

        (await Keys.AddAsync(key)).Should().BeTrue();

        var stored = await Keys.GetAsync("0123456789ab");
        stored.Should().BeEquivalentTo(key);
        stored!.SecretHash.Should().Equal(key.SecretHash);
        stored.IsRevoked.Should().BeFalse();
        (await Keys.ListAsync()).Should().ContainSingle().Which.Should().BeEquivalentTo(key);
        (await Keys.GetAsync("ffffffffffff")).Should().BeNull();
    }

    [Fact]
    public async Task Keys_AddExistingId_ReturnsFalseAndKeepsTheFirst()
    {
        await Keys.AddAsync(Key("0123456789ab", "alice"));

        (await Keys.AddAsync(Key("0123456789ab", "mallory"))).Should().BeFalse();

        (await Keys.GetAsync("0123456789ab"))!.Principal.Should().Be("alice");
    }

    [Fact]
    public async Task Keys_List_OldestFirstIncludingRevoked()
    {
        await Keys.AddAsync(Key("bbbbbbbbbbbb", created: T0.AddMinutes(1)));
        await Keys.AddAsync(Key("aaaaaaaaaaaa", created: T0.AddMinutes(2)));
        await Keys.RevokeAsync("bbbbbbbbbbbb", T0.AddMinutes(3));

        var keys = await Keys.ListAsync();

        keys.Select(k => k.Id).Should().Equal("bbbbbbbbbbbb", "aaaaaaaaaaaa");
        keys.Select(k => k.IsRevoked).Should().Equal(true, false);
    }

    [Fact]
    public async Task Keys_Revoke_KeepsTheFirstRevocationTimeAndUnknownIdReturnsFalse()
    {
        await Keys.AddAsync(Key("0123456789ab"));

        (await Keys.RevokeAsync("0123456789ab", T0.AddHours(1))).Should().BeTrue();
        (await Keys.RevokeAsync("0123456789ab", T0.AddHours(2))).Should().BeTrue();
        (await Keys.RevokeAsync("ffffffffffff", T0.AddHours(1))).Should().BeFalse();

        (await Keys.GetAsync("0123456789ab"))!.RevokedAt.Should().Be(T0.AddHours(1));
    }

    [Theory]
    [MemberData(nameof(HostileValues.Strings), MemberType = typeof(HostileValues))]
    public async Task Keys_HostileStrings_AreStoredAndReadBackVerbatim(string hostile)
    {
        var key = Key(hostile, hostile) with { Groups = [hostile, "ops"], Grants = [hostile] };

        (await Keys.AddAsync(key)).Should().BeTrue();

        (await Keys.GetAsync(hostile)).Should().BeEquivalentTo(key);
        (await Keys.ListAsync()).Should().ContainSingle();
        (await Keys.RevokeAsync(hostile, T0)).Should().BeTrue();
        (await Statistics.GetCountsAsync()).Should().Be(new StoreCounts(0, 0, 0, 0));
    }

    [Fact]
    public async Task Audit_Read_NewestFirstFilteredByPrincipalSinceAndLimit()
    {
        var first = await Audit.AppendAsync(Entry("alice", T0));
        var second = await Audit.AppendAsync(Entry("bob", T0.AddSeconds(1), "document.delete", "doc-1"));
        var third = await Audit.AppendAsync(Entry("alice", T0.AddSeconds(2)));

        new[] { first, second, third }.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        var all = await Audit.ReadAsync(new AuditQuery());
        all.Select(e => e.Seq).Should().Equal(third, second, first);
        all[1].Should().BeEquivalentTo(Entry("bob", T0.AddSeconds(1), "document.delete", "doc-1") with { Seq = second });
        (await Audit.ReadAsync(new AuditQuery(Principal: "alice"))).Select(e => e.Seq).Should().Equal(third, first);
        (await Audit.ReadAsync(new AuditQuery(Since: T0.AddSeconds(1)))).Select(e => e.Seq).Should().Equal(third, second);
        (await Audit.ReadAsync(new AuditQuery(Limit: 1))).Select(e => e.Seq).Should().Equal(third);
        (await Audit.ReadAsync(new AuditQuery(Principal: "carol"))).Should().BeEmpty();
    }

    [Fact]
    public async Task Audit_TimesInOtherOffsets_AreStoredInUtcAndCompareAsInstants()
    {
        var plusTwo = new DateTimeOffset(2025, 3, 1, 11, 30, 0, TimeSpan.FromHours(2)); // = T0
        await Audit.AppendAsync(Entry("alice", plusTwo));

        var read = (await Audit.ReadAsync(new AuditQuery(Since: T0))).Should().ContainSingle().Subject;

        read.At.Should().Be(T0);
        read.At.Offset.Should().Be(TimeSpan.Zero);
        (await Audit.ReadAsync(new AuditQuery(Since: T0.AddTicks(1)))).Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(HostileValues.Strings), MemberType = typeof(HostileValues))]
    public async Task Audit_HostileStrings_AreStoredAndReadBackVerbatim(string hostile)
    {
        var entry = new AuditEntry(0, T0, hostile, hostile, hostile, hostile, new Dictionary<string, string> { [hostile] = hostile });

        var seq = await Audit.AppendAsync(entry);

        (await Audit.ReadAsync(new AuditQuery(Principal: hostile))).Should().ContainSingle()
            .Which.Should().BeEquivalentTo(entry with { Seq = seq });
        (await Statistics.GetCountsAsync()).Should().Be(new StoreCounts(0, 0, 0, 0));
    }

    [Fact]
    public async Task Audit_DetailsLongEnoughToHoldAPassage_AreRefused()
    {
        var passage = new string('x', AuditEntry.MaxDetailLength + 1);
        var entry = new AuditEntry(0, T0, "alice", "document.upload", "doc-1", "ok", new Dictionary<string, string> { ["text"] = passage });

        var append = () => Audit.AppendAsync(entry);

        await append.Should().ThrowAsync<ArgumentException>().WithMessage("*document text*");
        (await Audit.ReadAsync(new AuditQuery())).Should().BeEmpty();
    }

    [Fact]
    public async Task Audit_LimitOutOfRange_IsRefused()
    {
        var read = () => Audit.ReadAsync(new AuditQuery(Limit: 0));

        await read.Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task KeyAndAuditWrites_LeaveTheGraphGenerationAlone()
    {
        await Writer.UpsertAsync(Bundles.WithEntities("a", "Ada Lovelace met Charles Babbage.", "Ada Lovelace", "Charles Babbage"));
        var before = await Snapshots.GetSnapshotAsync();

        await Keys.AddAsync(Key("0123456789ab"));
        await Keys.RevokeAsync("0123456789ab", T0);
        await Audit.AppendAsync(Entry("alice", T0));

        var after = await Snapshots.GetSnapshotAsync();
        after.Generation.Should().Be(before.Generation);
        after.Should().BeSameAs(before, "the cached snapshot is still current");
    }
}
