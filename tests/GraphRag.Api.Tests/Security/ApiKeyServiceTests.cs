using System.Security.Cryptography;
using System.Text;
using GraphRag.Api.Security;
using GraphRag.Graph;
using GraphRag.Graph.Security;
using GraphRag.Graph.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace GraphRag.Api.Tests.Security;

public sealed class ApiKeyServiceTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("graphrag-keys-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private SqliteGraphStore _store = null!;
    private ApiKeyService _service = null!;

    private string DbPath => Path.Combine(_folder, "keys.db");

    public async Task InitializeAsync()
    {
        _store = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = DbPath });
        _service = new ApiKeyService(_store, _time);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Create_ReturnsKeyOfTheDocumentedFormat_AndStoresOnlyTheSecretsSha256()
    {
        var created = await _service.CreateAsync("alice", ["research"], [Grants.Pii]);

        created.Key.Should().MatchRegex("^grk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$");
        created.Key.Substring(4, 12).Should().Be(created.Record.Id);
        var secret = created.Key[17..];
        Base64UrlDecodedLength(secret).Should().Be(32);
        var stored = await _store.GetAsync(created.Record.Id);
        stored!.SecretHash.Should().Equal(SHA256.HashData(Encoding.ASCII.GetBytes(secret)));
        stored.CreatedAt.Should().Be(_time.GetUtcNow());
        stored.Principal.Should().Be("alice");
    }

    [Fact]
    public async Task Create_TheSecretNeverReachesTheDatabaseFile()
    {
        var created = await _service.CreateAsync("alice", [], []);
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var secret = created.Key[17..];
        var bytes = (await File.ReadAllBytesAsync(DbPath))
            .Concat(File.Exists(DbPath + "-wal") ? await File.ReadAllBytesAsync(DbPath + "-wal") : []).ToArray();

        Encoding.Latin1.GetString(bytes).Should().NotContain(secret).And.Contain(created.Record.Id);
        _store = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = DbPath });
    }

    [Fact]
    public async Task Create_TwoKeys_HaveDifferentIdsAndSecrets()
    {
        var a = await _service.CreateAsync("alice", [], []);
        var b = await _service.CreateAsync("alice", [], []);

        a.Record.Id.Should().NotBe(b.Record.Id);
        a.Key[17..].Should().NotBe(b.Key[17..]);
    }

    [Fact]
    public async Task Authenticate_ValidKey_ReturnsTheCallerWithGroupsAndGrants()
    {
        var created = await _service.CreateAsync("alice", ["research", "ops", "research"], [Grants.Write, Grants.Pii]);

        var caller = await _service.AuthenticateAsync(created.Key);

        caller.Should().NotBeNull();
        caller!.Principal.Should().Be("alice");
        caller.Groups.Should().Equal("research", "ops");
        caller.Grants.Should().Equal(Grants.Write, Grants.Pii);
        caller.IsAdministrator.Should().BeFalse();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("grk_")]
    [InlineData("Bearer grk_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("grk_0123456789AB_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("grk_0123456789ab-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("grk_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("grk_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("grk_'}) DETACH DELETE n //_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("xyz_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("grk_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAé")]
    public async Task Authenticate_MalformedOrUnknownKey_ReturnsNullWithoutThrowing(string? key)
    {
        await _service.CreateAsync("alice", [], []);

        (await _service.AuthenticateAsync(key)).Should().BeNull();
    }

    [Fact]
    public async Task Authenticate_KnownIdWithWrongSecret_ReturnsNull()
    {
        var created = await _service.CreateAsync("alice", [], []);
        var last = created.Key[^1];
        var tampered = created.Key[..^1] + (last == 'A' ? 'B' : 'A');

        (await _service.AuthenticateAsync(tampered)).Should().BeNull();
        (await _service.AuthenticateAsync(created.Key)).Should().NotBeNull("a cached success must still check the secret");
        (await _service.AuthenticateAsync(tampered)).Should().BeNull();
    }

    [Fact]
    public async Task Revoke_ThroughTheService_TakesEffectAtOnceDespiteTheCache()
    {
        var created = await _service.CreateAsync("alice", [], []);
        (await _service.AuthenticateAsync(created.Key)).Should().NotBeNull();

        (await _service.RevokeAsync(created.Record.Id)).Should().BeTrue();

        (await _service.AuthenticateAsync(created.Key)).Should().BeNull();
        (await _store.GetAsync(created.Record.Id))!.RevokedAt.Should().Be(_time.GetUtcNow());
        (await _service.RevokeAsync("ffffffffffff")).Should().BeFalse();
    }

    [Fact]
    public async Task Revoke_ElsewhereTakesEffectWhenTheCacheEntryExpires()
    {
        var created = await _service.CreateAsync("alice", [], []);
        (await _service.AuthenticateAsync(created.Key)).Should().NotBeNull();

        await new ApiKeyService(_store, _time).RevokeAsync(created.Record.Id);

        (await _service.AuthenticateAsync(created.Key)).Should().NotBeNull("the cached lookup is still fresh");
        _time.Advance(TimeSpan.FromSeconds(6));
        (await _service.AuthenticateAsync(created.Key)).Should().BeNull();
    }

    [Fact]
    public async Task Authenticate_WithCachingOff_SeesARevocationElsewhereAtOnce()
    {
        var uncached = new ApiKeyService(_store, _time, TimeSpan.Zero);
        var created = await uncached.CreateAsync("alice", [], []);
        (await uncached.AuthenticateAsync(created.Key)).Should().NotBeNull();

        await _store.RevokeAsync(created.Record.Id, _time.GetUtcNow());

        (await uncached.AuthenticateAsync(created.Key)).Should().BeNull();
    }

    [Theory]
    [InlineData("bad name", "research", "pii", "principal 'bad name'")]
    [InlineData("alice", "'}) DETACH DELETE n //", "pii", "group ''}) DETACH DELETE n //'")]
    [InlineData("alice", "research", "superuser", "grant 'superuser' is unknown (use pii, write, admin)")]
    [InlineData("", "research", "pii", "principal ''")]
    public async Task Create_InvalidNameOrGrant_IsRefusedWithAClearMessageAndStoresNothing(
        string principal, string group, string grant, string message)
    {
        var create = () => _service.CreateAsync(principal, [group], [grant]);

        await create.Should().ThrowAsync<InvalidInputException>().WithMessage($"*{message}*");
        (await _store.ListAsync()).Should().BeEmpty();
    }

    private static int Base64UrlDecodedLength(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text).Length;
}
