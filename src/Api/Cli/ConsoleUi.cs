using System.Text.Json;
using Spectre.Console;

namespace GraphRag.Api.Cli;

/// <summary>Where commands write: plain text when redirected, Spectre.Console niceties on an interactive terminal.</summary>
internal sealed class ConsoleUi(TextWriter output, TextWriter error)
{
    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>True when a person watches: stdout is a terminal and the output writer is the console's own.</summary>
    public bool Interactive => ReferenceEquals(Out, Console.Out) && !Console.IsOutputRedirected && !Console.IsErrorRedirected
        && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>One line of JSON in the shared naming (<see cref="ApiJson"/>).</summary>
    public void WriteJson<T>(T value) => Out.WriteLine(JsonSerializer.Serialize(value, ApiJson.Cli));

    public void Line(string text = "") => Out.WriteLine(text);

    public void Fail(string message) => Error.WriteLine("error: " + message);
}
