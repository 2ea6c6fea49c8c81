using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace GraphRag.Api.Cli;

/// <summary>Where commands write: plain text when redirected, Spectre.Console niceties on an interactive terminal.</summary>
internal sealed class ConsoleUi(TextWriter output, TextWriter error)
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>True when a person watches: stdout is a terminal and the output writer is the console's own.</summary>
    public bool Interactive => ReferenceEquals(Out, Console.Out) && !Console.IsOutputRedirected && !Console.IsErrorRedirected
        && AnsiConsole.Profile.Capabilities.Interactive;

    public void WriteJson<T>(T value) => Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    public void Line(string text = "") => Out.WriteLine(text);

    public void Fail(string message) => Error.WriteLine("error: " + message);
}
