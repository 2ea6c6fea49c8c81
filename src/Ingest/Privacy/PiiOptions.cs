using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.RegularExpressions;

namespace GraphRag.Ingest.Privacy;

/// <summary>Personal-data detection at ingest; bound from <c>GraphRag:Ingest:Pii</c>.</summary>
public sealed partial class PiiOptions : IValidatableObject
{
    /// <summary>The policy of runs that do not name one.</summary>
    [EnumDataType(typeof(PiiPolicy))]
    public PiiPolicy Policy { get; set; } = PiiPolicy.Mask;

    /// <summary>
    /// Extra patterns, name → .NET regular expression. A match is a <see cref="PiiKind.Custom"/> match labelled with
    /// the name upper-cased (<c>employee-id</c> → <c>[EMPLOYEE-ID]</c>).
    /// </summary>
    public IDictionary<string, string> CustomPatterns { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, pattern) in CustomPatterns)
        {
            if (PiiDetector.ValidateCustomPattern(name, pattern) is { } error)
            {
                yield return new ValidationResult(error, [nameof(CustomPatterns)]);
            }
        }
    }

    /// <summary>Identifies what detection finds, so a change of patterns re-processes stored documents.</summary>
    internal string Fingerprint => string.Join(
        ";",
        CustomPatterns.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key.Length}:{p.Key}={p.Value}")));

    internal static bool IsValidName(string name) => NamePattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
