using System.CommandLine;
using GraphRag.Hosting;
using GraphRag.Api.Http;
using Microsoft.Extensions.Logging;

namespace GraphRag.Api.Cli;

/// <summary><c>serve</c>: the HTTP API on Kestrel until Ctrl+C or SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Create(Func<ConsoleUi> ui)
    {
        var urls = new Option<string?>("--urls") { Description = "Where to listen, ';'-separated (default http://127.0.0.1:5080, or GraphRag:Api:Urls)." };
        var anonymous = new Option<bool>("--allow-anonymous")
        {
            Description = "Let requests without a key act as the local administrator. Loopback URLs only; for local use.",
        };
        var command = new Command("serve", "Serve the HTTP API (every /v1 route needs an API key from 'graphrag keys add').") { urls, anonymous };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = ui();
            var settings = CliOptions.LoadSettings(parse, parse.GetValue(CliOptions.Database), StoreUse.Create);
            if (parse.GetValue(urls) is { Length: > 0 } given)
            {
                settings.Api.Urls = given;
            }

            if (parse.GetValue(anonymous))
            {
                settings.Api.AllowAnonymous = true;
            }

            settings.Validate();
            // Our own events at Information; the framework's per-request lines only from Warning, which a busy server cannot afford.
            Action<ILoggingBuilder> logging = builder => builder.AddSimpleConsole(o => o.SingleLine = true)
                .SetMinimumLevel(LogLevel.Information)
                .AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            using var loggers = LoggerFactory.Create(logging);
            await using var engine = await Engine.OpenAsync(settings, loggers, cancellationToken);
            var parts = ServerParts.For(engine) with { Logging = logging };
            await using var server = await GraphRagServer.StartAsync(parts, cancellationToken);
            console.Line($"graphrag serving {engine.Location} at {server.Address} (API reference: {server.Address}docs)");
            try
            {
                await server.WaitForShutdownAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: the server stops below, letting a running ingest job reach a batch boundary.
            }

            await server.StopAsync(CancellationToken.None);
            console.Line("stopped");
            return ExitCodes.Success;
        });
        return command;
    }
}
