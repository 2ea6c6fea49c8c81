using System.Text.Json;
using GraphRag.Api.Security;
using GraphRag.Graph.Sqlite;

namespace GraphRag.Api.Tests.Security;

/// <summary><c>graphrag keys add|list|revoke</c> end to end.</summary>
public sealed class KeysCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("graphrag-keys-cli-").FullName;

    private string Db => Path.Combine(_root, "keys.db");

    [Fact]
    public async Task Add_Json_PrintsTheKeyOnceAndItAuthenticates()
    {
        var (exit, output, error) = await CliTests.RunAsync(
            "keys", "add", "--principal", "alice", "--group", "research", "--group", "ops", "--grant", "pii", "--grant", "write", "--json", "--db", Db);

        exit.Should().Be(0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        root.EnumerateObject().Select(p => p.Name).Should().Equal("id", "key", "principal", "groups", "grants");
        var key = root.GetProperty("key").GetString()!;
        key.Should().StartWith("grk_" + root.GetProperty("id").GetString() + "_");
        root.GetProperty("groups").EnumerateArray().Select(g => g.GetString()).Should().Equal("research", "ops");
        root.GetProperty("grants").EnumerateArray().Select(g => g.GetString()).Should().Equal("pii", "write");

        await using var store = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = Db });
        var caller = await new ApiKeyService(store).AuthenticateAsync(key);
        caller!.Principal.Should().Be("alice");
    }

    [Fact]
    public async Task Add_Text_PrintsIdAndKey()
    {
        var (exit, output, error) = await CliTests.RunAsync("keys", "add", "--principal", "bob", "--db", Db);

        exit.Should().Be(0, error);
        output.Should().MatchRegex(@"id:\s+[0-9a-f]{12}").And.MatchRegex(@"key:\s+grk_[0-9a-f]{12}_\S{43}").And.Contain("cannot be shown again");
    }

    [Fact]
    public async Task List_ShowsKeysButNeverSecretsOrHashes()
    {
        var added = JsonDocument.Parse((await CliTests.RunAsync("keys", "add", "--principal", "alice", "--grant", "admin", "--json", "--db", Db)).Out);
        var id = added.RootElement.GetProperty("id").GetString()!;
        var key = added.RootElement.GetProperty("key").GetString()!;
        (await CliTests.RunAsync("keys", "revoke", id, "--db", Db)).Exit.Should().Be(0);
        await CliTests.RunAsync("keys", "add", "--principal", "bob", "--db", Db);

        var text = await CliTests.RunAsync("keys", "list", "--db", Db);
        var json = await CliTests.RunAsync("keys", "list", "--json", "--db", Db);

        text.Exit.Should().Be(0, text.Error);
        text.Out.Should().Contain(id).And.Contain("alice").And.Contain("bob").And.Contain("admin").And.NotContain(key[17..]);
        using var document = JsonDocument.Parse(json.Out);
        var rows = document.RootElement.EnumerateArray().ToList();
        rows.Should().HaveCount(2);
        rows[0].EnumerateObject().Select(p => p.Name).Should().Equal("id", "principal", "groups", "grants", "created", "revoked");
        rows[0].GetProperty("id").GetString().Should().Be(id);
        rows[0].GetProperty("revoked").ValueKind.Should().Be(JsonValueKind.String);
        rows[1].GetProperty("revoked").ValueKind.Should().Be(JsonValueKind.Null);
        json.Out.Should().NotContain(key[17..]).And.NotContainEquivalentOf("hash");
    }

    [Fact]
    public async Task Revoke_UnknownId_FailsLikeOtherNotFoundCommands()
    {
        // A store to look in: revoke, which only changes what is stored, creates none.
        (await CliTests.RunAsync("keys", "add", "--principal", "alice", "--db", Db)).Exit.Should().Be(0);

        var (exit, _, error) = await CliTests.RunAsync("keys", "revoke", "ffffffffffff", "--db", Db);

        exit.Should().Be(1);
        error.Should().Contain("no key with id 'ffffffffffff'");
    }

    [Fact]
    public async Task Add_UnknownGrant_ExitsWithErrorAndCreatesNoStore()
    {
        var (exit, _, error) = await CliTests.RunAsync("keys", "add", "--principal", "alice", "--grant", "root", "--db", Db);

        exit.Should().Be(2);
        error.Should().Contain("grant 'root' is unknown");
        File.Exists(Db).Should().BeFalse();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }
}
