namespace GraphRag.Samples.Generator;

/// <summary>
/// The one timestamp written into generated files, so that regenerating the corpus from unchanged sources gives
/// byte-identical output and a clean git diff.
/// </summary>
internal static class SampleClock
{
    public static readonly DateTimeOffset Fixed = new(2024, 1, 15, 9, 0, 0, TimeSpan.Zero);
}
