using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GraphRag.Api;

/// <summary>
/// The one JSON naming of everything <c>graphrag</c> writes — HTTP responses, <c>--json</c> output and report files:
/// camelCase property names and enums as camelCase strings. Dictionary keys (metadata keys, channel names) are data
/// and stay as they are.
/// </summary>
public static class ApiJson
{
    /// <summary>What the command line prints and writes: the shared naming, every property (nulls too), non-ASCII kept readable.</summary>
    public static JsonSerializerOptions Cli { get; } = CreateCli(indented: false);

    /// <summary><see cref="Cli"/>, indented, for report files (<c>eval --out</c>).</summary>
    public static JsonSerializerOptions CliIndented { get; } = CreateCli(indented: true);

    /// <summary>Applies the shared naming to <paramref name="options"/> (the HTTP API's, or the CLI's).</summary>
    public static void ApplyNaming(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = null;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
    }

    private static JsonSerializerOptions CreateCli(bool indented)
    {
        var options = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            WriteIndented = indented,
        };
        ApplyNaming(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
