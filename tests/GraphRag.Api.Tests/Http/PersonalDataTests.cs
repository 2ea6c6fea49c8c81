using System.Net;
using System.Net.Http.Json;

namespace GraphRag.Api.Tests.Http;

/// <summary>Personal data over HTTP: masked for callers without the <c>pii</c> grant, redacted when stored so, never an entity name.</summary>
public sealed class PersonalDataTests : IAsyncLifetime
{
    private const string Contact =
        "Maria Keller leads the Northwind Systems audit team. Maria Keller can be reached at maria.keller@northwind.example "
        + "or on +1 415 555 0134. The audit fee was charged to card 4111 1111 1111 1111 and refunds go to IBAN DE89 3704 0044 0532 0130 00.";

    private static readonly string[] Raw = ["maria.keller@northwind.example", "+1 415 555 0134", "4111 1111 1111 1111", "DE89 3704 0044 0532 0130 00"];

    private ApiServer _server = null!;
    private HttpClient _alice = null!;
    private HttpClient _carol = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiServer.StartAsync();
        _alice = await _server.ClientForAsync("alice", ["a"], "write");
        _carol = await _server.ClientForAsync("carol", ["a"], "pii");
        _admin = await _server.ClientForAsync("root", [], "admin");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task MaskPolicy_HidesPersonalDataFromCallersWithoutGrant_AndShowsItToThePiiGrant()
    {
        (await ApiServer.UploadTextAsync(_alice, "contact.txt", Contact)).StatusCode.Should().Be(HttpStatusCode.Created);
        const string Question = "How can Maria Keller of the Northwind Systems audit team be reached?";

        var aliceDocument = await (await _alice.GetAsync("/v1/documents/uploads/alice/contact.txt")).Content.ReadAsStringAsync();
        var carolDocument = await (await _carol.GetAsync("/v1/documents/uploads/alice/contact.txt")).Content.ReadAsStringAsync();
        var aliceAnswer = await (await _alice.PostAsJsonAsync("/v1/query", new { question = Question })).Content.ReadAsStringAsync();
        var aliceStream = await (await _alice.PostAsJsonAsync("/v1/query/stream", new { question = Question })).Content.ReadAsStringAsync();
        var carolAnswer = await (await _carol.PostAsJsonAsync("/v1/query", new { question = Question })).Content.ReadAsStringAsync();

        foreach (var masked in new[] { aliceDocument, aliceAnswer, aliceStream })
        {
            foreach (var value in Raw)
            {
                masked.Should().NotContain(value);
            }

            masked.Should().Contain("[EMAIL]").And.Contain("Maria Keller");
        }

        aliceDocument.Should().Contain("[PHONE]").And.Contain("[CARD]").And.Contain("[IBAN]");
        carolDocument.Should().Contain(Raw[0]).And.Contain(Raw[2]);
        carolAnswer.Should().Contain(Raw[0]);
    }

    [Fact]
    public async Task MaskPolicy_CoversSectionHeadings()
    {
        await ApiServer.UploadTextAsync(_alice, "billing.md", "# Contact maria.keller@northwind.example\n\nBilling questions about Northwind Systems go to the contact above.");

        var answer = await (await _alice.PostAsJsonAsync("/v1/query", new { question = "Who handles billing questions about Northwind Systems?" })).Content.ReadAsStringAsync();
        var stream = await (await _alice.PostAsJsonAsync("/v1/query/stream", new { question = "Who handles billing questions about Northwind Systems?" })).Content.ReadAsStringAsync();

        answer.Should().Contain("\"section\":\"Contact [EMAIL]\"").And.NotContain("maria.keller@");
        stream.Should().NotContain("maria.keller@");
    }

    [Fact]
    public async Task PersonalData_NeverBecomesAnEntity()
    {
        await ApiServer.UploadTextAsync(_alice, "contact.txt", Contact);

        var entities = await (await _carol.GetAsync("/v1/entities?limit=1000")).Content.ReadAsStringAsync();
        var keller = await (await _carol.GetAsync("/v1/entities/Maria%20Keller")).Content.ReadAsStringAsync();

        entities.Should().Contain("Maria Keller");
        foreach (var text in new[] { entities, keller })
        {
            text.Should().NotContain("northwind.example").And.NotContain("4111").And.NotContain("0134").And.NotContain("DE89");
        }
    }

    [Fact]
    public async Task RedactPolicy_StoresPlaceholders_SoEvenThePiiGrantSeesNone()
    {
        (await ApiServer.UploadTextAsync(_alice, "redacted.txt", Contact, pii: "redact")).StatusCode.Should().Be(HttpStatusCode.Created);

        var carolDocument = await (await _carol.GetAsync("/v1/documents/uploads/alice/redacted.txt")).Content.ReadAsStringAsync();
        var stored = await _server.Engine.Store.GetDocumentAsync("uploads/alice/redacted.txt");

        carolDocument.Should().Contain("[EMAIL]").And.NotContain(Raw[0]);
        stored!.Text.Should().NotContain(Raw[0]).And.NotContain(Raw[2]);
        stored.Metadata["pii.policy"].Should().Be("redact");
    }

    [Fact]
    public async Task KeepPolicy_OnlyAnAdministratorMayWeakenTheServerPolicy()
    {
        var weaker = await ApiServer.UploadTextAsync(_alice, "kept.txt", Contact, pii: "keep");
        var bogus = await ApiServer.UploadTextAsync(_alice, "kept.txt", Contact, pii: "whatever");
        var kept = await ApiServer.UploadTextAsync(_admin, "kept.txt", Contact, acl: ["group:a"], pii: "keep");

        weaker.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        bogus.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        kept.StatusCode.Should().Be(HttpStatusCode.Created);
        var aliceView = await (await _alice.GetAsync("/v1/documents/uploads/root/kept.txt")).Content.ReadAsStringAsync();
        aliceView.Should().Contain(Raw[0], "a document stored with the keep policy is not treated as personal data");
    }
}
