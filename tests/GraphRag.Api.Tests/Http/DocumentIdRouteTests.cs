using System.Net;

namespace GraphRag.Api.Tests.Http;

/// <summary>Document ids hold slashes; every /v1/documents/{id} route takes them plain or URL-encoded.</summary>
public sealed class DocumentIdRouteTests : IAsyncLifetime
{
    private ApiServer _server = null!;

    public async Task InitializeAsync() => _server = await ApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>DELETE /v1/documents/uploads%2Falice%2Fnote.txt answered 404: the server leaves %2F encoded in the path.</summary>
    [Theory]
    [InlineData("uploads%2Falice%2Fnote.txt")]
    [InlineData("uploads%2falice%2fnote.txt")]
    [InlineData("uploads/alice/note.txt")]
    [InlineData("uploads/alice%2Fnote.txt")]
    public async Task GetAndDelete_IdPlainOrUrlEncoded_FindTheDocument(string path)
    {
        var alice = await _server.ClientForAsync("alice", ["a"], "write");
        (await ApiServer.UploadTextAsync(alice, "note.txt", "Ada Lovelace wrote the first program.")).StatusCode.Should().Be(HttpStatusCode.Created);

        var read = await alice.GetAsync("/v1/documents/" + path);
        var delete = await alice.DeleteAsync("/v1/documents/" + path);
        var after = await alice.GetAsync("/v1/documents/uploads/alice/note.txt");

        read.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ApiServer.ReadJsonAsync(read)).GetProperty("id").GetString().Should().Be("uploads/alice/note.txt");
        delete.StatusCode.Should().Be(HttpStatusCode.NoContent);
        after.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Get_IdWithSpaceEncoded_IsDecodedOnce()
    {
        var alice = await _server.ClientForAsync("alice", ["a"], "write");
        var upload = await ApiServer.UploadTextAsync(alice, "field notes.txt", "Ada Lovelace wrote the first program.");
        upload.StatusCode.Should().Be(HttpStatusCode.Created);

        var read = await alice.GetAsync(upload.Headers.Location);
        var encoded = await alice.GetAsync("/v1/documents/uploads%2Falice%2Ffield%20notes.txt");

        read.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ApiServer.ReadJsonAsync(encoded)).GetProperty("id").GetString().Should().Be("uploads/alice/field notes.txt");
    }
}
