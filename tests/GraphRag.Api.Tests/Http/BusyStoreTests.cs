using System.Net;
using Microsoft.Data.Sqlite;

namespace GraphRag.Api.Tests.Http;

/// <summary>A store whose write lock another process holds: the API says "retry" (503 with Retry-After), not "broken" (500).</summary>
public sealed class BusyStoreTests
{
    [Fact]
    public async Task Upload_WhileAnotherProcessHoldsTheWriteLock_Answers503WithRetryAfterThenSucceeds()
    {
        await using var server = await ApiServer.StartAsync(settings => settings.Store.BusyTimeoutMilliseconds = 1_000);
        var alice = await server.ClientForAsync("alice", ["a"], "write");

        HttpResponseMessage busy;
        // Another writer: a separate connection (no pooling, so nothing is shared) holding the write lock.
        await using (var other = new SqliteConnection($"Data Source={Path.Combine(server.Root, "api.db")};Pooling=False"))
        {
            await other.OpenAsync();
            await using var hold = other.CreateCommand();
            hold.CommandText = "BEGIN IMMEDIATE";
            await hold.ExecuteNonQueryAsync();

            busy = await ApiServer.UploadTextAsync(alice, "busy.txt", "Ada Lovelace wrote the first program.");

            hold.CommandText = "ROLLBACK";
            await hold.ExecuteNonQueryAsync();
        }

        var retried = await ApiServer.UploadTextAsync(alice, "busy.txt", "Ada Lovelace wrote the first program.");

        busy.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        busy.Headers.RetryAfter.Should().NotBeNull();
        busy.Headers.RetryAfter!.Delta.Should().BePositive();
        busy.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await ApiServer.ReadJsonAsync(busy)).GetProperty("status").GetInt32().Should().Be(503);
        retried.StatusCode.Should().Be(HttpStatusCode.Created);
    }
}
