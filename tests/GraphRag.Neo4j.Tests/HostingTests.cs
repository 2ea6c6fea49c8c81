using System.ComponentModel.DataAnnotations;
using GraphRag.Graph;
using GraphRag.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace GraphRag.Neo4j.Tests;

/// <summary>The host's choice of store by GraphRag:Store:Kind, and the one-line start-up failures (no server needed).</summary>
public sealed class HostingTests
{
    private static EngineFactory Factory(GraphRagSettings settings)
    {
        var services = new ServiceCollection();
        services.AddGraphRag(settings).UseConfiguredStore();
        return services.BuildServiceProvider().GetRequiredService<EngineFactory>();
    }

    [Fact]
    public async Task UseConfiguredStore_KindNeo4jWithNothingListening_FailsInOneLineNamingTheAddress()
    {
        var settings = new GraphRagSettings { StoreKind = StoreKind.Neo4j };
        settings.Neo4j.Url = "http://127.0.0.1:9";
        settings.Neo4j.MaxRetries = 0;

        var open = () => Factory(settings).OpenBackendAsync();

        var error = (await open.Should().ThrowAsync<StoreException>()).Which;
        error.Message.Should().StartWith("Neo4j: http://127.0.0.1:9 (database neo4j, store graphrag) is unreachable").And.NotContain("\n");
    }

    [Fact]
    public async Task UseConfiguredStore_KindNeo4jWithWrongPassword_FailsNamingAuthentication()
    {
        await using var server = new WireServer(_ => new WireResponse(401, WireServer.Error("Neo.ClientError.Security.Unauthorized", "The client is unauthorized due to authentication failure.")));
        var settings = new GraphRagSettings { StoreKind = StoreKind.Neo4j };
        settings.Neo4j.Url = server.Url;
        settings.Neo4j.User = "neo4j";
        settings.Neo4j.Password = "wrong";

        var open = () => Factory(settings).OpenBackendAsync();

        (await open.Should().ThrowAsync<StoreException>()).Which.Message.Should().Contain("authentication failed").And.NotContain("wrong");
    }

    [Fact]
    public void AddGraphRag_KindNeo4jWithABadStoreName_FailsValidation()
    {
        var settings = new GraphRagSettings { StoreKind = StoreKind.Neo4j };
        settings.Neo4j.Store = "no spaces'}) //";

        var add = () => new ServiceCollection().AddGraphRag(settings);

        add.Should().Throw<ValidationException>().WithMessage("*Store*");
    }

    [Fact]
    public void AddGraphRag_KindSqlite_DoesNotValidateTheNeo4jSettings()
    {
        var settings = new GraphRagSettings();
        settings.Neo4j.Store = "not validated unless used";

        var add = () => new ServiceCollection().AddGraphRag(settings).UseConfiguredStore();

        add.Should().NotThrow();
        settings.StoreKind.Should().Be(StoreKind.Sqlite);
    }
}
