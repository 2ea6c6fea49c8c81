using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace GraphRag.Hosting;

/// <summary>
/// Turns what the configuration system throws (a file that is not JSON, a value of the wrong type) into one line that
/// names where the value came from, the setting, and what is wrong with it.
/// </summary>
internal static partial class SettingsProblems
{
    /// <summary>"graphrag.json is not valid JSON (line 3): …", or null when the exception is not about a settings file.</summary>
    public static string? Unreadable(InvalidDataException exception)
    {
        var file = FileIn(exception.Message) is { } path ? Path.GetFileName(path) : "a settings file";
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException json)
            {
                var message = json.Message;
                var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
                var reason = (cut < 0 ? message : message[..cut]).TrimEnd('.', ' ');
                var line = json.LineNumber is { } number ? string.Create(CultureInfo.InvariantCulture, $" at line {number + 1}") : string.Empty;
                return $"{file} is not valid JSON{line}: {reason}";
            }
        }

        return FileIn(exception.Message) is null ? null : $"{file} cannot be read: {exception.InnerException?.Message ?? exception.Message}";
    }

    /// <summary>
    /// The setting a binding failure names, with a description of the problem ("graphrag.json: GraphRag:Ingest:Parallelism
    /// is 'two', not a whole number"); false when the exception is not a conversion failure.
    /// </summary>
    public static bool TryDescribeConversion(InvalidOperationException exception, IConfigurationRoot configuration, out string key, out string problem)
    {
        var match = ConversionFailure().Match(exception.Message);
        if (!match.Success)
        {
            key = problem = string.Empty;
            return false;
        }

        key = match.Groups["key"].Value;
        var value = match.Groups["value"].Value;
        var expected = Expected(key) ?? match.Groups["type"].Value;
        problem = $"{SourceOf(configuration, key)}: {key} is '{value}', not {expected}";
        return true;
    }

    /// <summary>Where a setting's value comes from: the file, or the environment variable.</summary>
    public static string SourceOf(IConfigurationRoot configuration, string key)
    {
        foreach (var provider in configuration.Providers.Reverse())
        {
            if (provider.TryGet(key, out _))
            {
                return provider switch
                {
                    FileConfigurationProvider { Source.Path: { } path } => Path.GetFileName(path),
                    EnvironmentVariablesConfigurationProvider => "environment variable GRAPHRAG_" + key.Replace(":", "__", StringComparison.Ordinal),
                    _ => "settings",
                };
            }
        }

        return "settings";
    }

    /// <summary>What the property at <paramref name="key"/> takes, in words, found on the settings classes.</summary>
    private static string? Expected(string key)
    {
        var segments = key.Split(':');
        if (segments.Length < 2 || !string.Equals(segments[0], GraphRagSettings.Section, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var type = typeof(GraphRagSettings);
        foreach (var segment in segments.Skip(1))
        {
            var property = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return null;
            }

            type = property.PropertyType;
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            return "one of " + string.Join(", ", Enum.GetNames(type));
        }

        return Type.GetTypeCode(type) switch
        {
            TypeCode.Int16 or TypeCode.Int32 or TypeCode.Int64 or TypeCode.UInt16 or TypeCode.UInt32 or TypeCode.UInt64 or TypeCode.Byte => "a whole number",
            TypeCode.Single or TypeCode.Double or TypeCode.Decimal => "a number",
            TypeCode.Boolean => "true or false",
            _ when type == typeof(TimeSpan) => "a time span (hh:mm:ss)",
            _ when type == typeof(Uri) => "a URL",
            _ => $"a {type.Name}",
        };
    }

    private static string? FileIn(string message) => FileName().Match(message) is { Success: true } match ? match.Groups["file"].Value : null;

    [GeneratedRegex(@"value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex ConversionFailure();

    [GeneratedRegex(@"file '(?<file>[^']+)'")]
    private static partial Regex FileName();
}
