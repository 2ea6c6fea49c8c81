using Microsoft.Extensions.DependencyInjection;
using System.CommandLine;
using System.Globalization;
using GraphRag.Hosting;
using GraphRag.Api.Security;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Sqlite;

namespace GraphRag.Api.Cli;

/// <summary><c>keys add|list|revoke</c>: API keys for the HTTP host. Secrets are printed once, at creation, and never again.</summary>
internal static class KeysCommand
{
    public static Command Create(Func<ConsoleUi> ui)
    {
        var command = new Command("keys", "Create, list and revoke API keys (the store keeps only a hash of each secret).");
        command.Subcommands.Add(CreateAdd(ui));
        command.Subcommands.Add(CreateList(ui));
        command.Subcommands.Add(CreateRevoke(ui));
        return command;
    }

    private static Command CreateAdd(Func<ConsoleUi> ui)
    {
        var principal = new Option<string>("--principal") { Description = "Who the key authenticates as.", Required = true };
        var groups = new Option<string[]>("--group")
        {
            Description = "A group of the principal; repeat for more. The first is where its uploads go by default.",
            DefaultValueFactory = _ => [],
        };
        var grants = new Option<string[]>("--grant")
        {
            Description = "pii (sees personal data), write (uploads and deletes) or admin (reads everything); repeat for more.",
            DefaultValueFactory = _ => [],
        };
        var command = new Command("add", "Create a key and print it once; only its hash is stored.") { principal, groups, grants };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = ui();
            var name = parse.GetValue(principal)!;
            var groupList = parse.GetValue(groups) ?? [];
            var grantList = parse.GetValue(grants) ?? [];
            // Check before opening (and perhaps creating) the store.
            ApiKeyService.Validate(name, groupList, grantList);
            await using var store = await OpenStoreAsync(parse, StoreUse.Create, cancellationToken);
            var created = await new ApiKeyService(store.Keys).CreateAsync(name, groupList, grantList, cancellationToken);
            var record = created.Record;
            if (parse.GetValue(CliOptions.Json))
            {
                console.WriteJson(new { record.Id, created.Key, record.Principal, record.Groups, record.Grants });
                return ExitCodes.Success;
            }

            console.Line($"id:        {record.Id}");
            console.Line($"principal: {record.Principal}");
            console.Line($"groups:    {Join(record.Groups)}");
            console.Line($"grants:    {Join(record.Grants)}");
            console.Line($"key:       {created.Key}");
            console.Line("Store the key now: it is not kept and cannot be shown again.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateList(Func<ConsoleUi> ui)
    {
        var command = new Command("list", "List keys: id, principal, groups, grants, created, revoked (never secrets or hashes).");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = ui();
            await using var store = await OpenStoreAsync(parse, StoreUse.Existing, cancellationToken);
            var keys = await store.Keys.ListAsync(cancellationToken);
            // Projected field by field so a hash can never reach the output.
            var rows = keys.Select(k => new KeyRow(k.Id, k.Principal, k.Groups, k.Grants, k.CreatedAt, k.RevokedAt)).ToList();
            if (parse.GetValue(CliOptions.Json))
            {
                console.WriteJson(rows);
                return ExitCodes.Success;
            }

            if (rows.Count == 0)
            {
                console.Line("no keys");
                return ExitCodes.Success;
            }

            console.Line($"{"id",-12}  {"principal",-20}  {"groups",-20}  {"grants",-16}  {"created",-20}  revoked");
            foreach (var row in rows)
            {
                console.Line(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{row.Id,-12}  {row.Principal,-20}  {Join(row.Groups),-20}  {Join(row.Grants),-16}  {Time(row.Created),-20}  {(row.Revoked is { } r ? Time(r) : "-")}"));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateRevoke(Func<ConsoleUi> ui)
    {
        var id = new Argument<string>("id") { Description = "The key's id (the 12 characters after grk_)." };
        var command = new Command("revoke", "Revoke a key; requests with it are refused from then on.") { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = ui();
            var keyId = parse.GetValue(id)!;
            await using var store = await OpenStoreAsync(parse, StoreUse.Existing, cancellationToken);
            if (!await new ApiKeyService(store.Keys).RevokeAsync(keyId, cancellationToken))
            {
                console.Fail($"no key with id '{keyId}'");
                return ExitCodes.PartialFailure;
            }

            console.Line($"revoked {keyId}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Only the store backend: keys need no extractor or query engine.</summary>
    private static Task<IGraphBackend> OpenStoreAsync(ParseResult parse, StoreUse use, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        services.AddGraphRag(CliOptions.LoadSettings(parse, parse.GetValue(CliOptions.Database), use)).UseConfiguredStore();
        return services.BuildServiceProvider().GetRequiredService<EngineFactory>().OpenBackendAsync(cancellationToken);
    }

    private static string Join(IReadOnlyList<string> values) => values.Count == 0 ? "-" : string.Join(",", values);

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private sealed record KeyRow(
        string Id, string Principal, IReadOnlyList<string> Groups, IReadOnlyList<string> Grants, DateTimeOffset Created, DateTimeOffset? Revoked);
}
