using System.Text.Json;

namespace GraphRag.Ingest.Tests.Golden;

/// <summary>samples.golden.json: hand-checked entities, mentions and labelled relations of the sample corpus.</summary>
internal sealed record GoldenFile(string Corpus, IReadOnlyList<GoldenEntity> Entities, IReadOnlyList<GoldenRelation> Relations)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip,
    };

    public static GoldenFile Load()
    {
        var path = Path.Combine(SamplesCorpus.RepositoryRoot, "tests", "GraphRag.Ingest.Tests", "Golden", "samples.golden.json");
        return JsonSerializer.Deserialize<GoldenFile>(File.ReadAllText(path), Options)
            ?? throw new InvalidOperationException($"'{path}' is empty.");
    }
}

internal sealed record GoldenEntity(string Id, string Name, string Type, string Key, IReadOnlyList<GoldenMention> Mentions);

internal sealed record GoldenMention(string DocumentId, int Start, int End, string Text)
{
    public override string ToString() => $"\"{Text}\" in {DocumentId} {Start}-{End}";
}

internal sealed record GoldenRelation(
    string Id, string Source, string SourceKey, string Label, string Target, string TargetKey, GoldenSpan Evidence)
{
    public override string ToString() => $"{Source} -[{Label}]-> {Target} ({Evidence.DocumentId} {Evidence.Start}-{Evidence.End})";
}

internal sealed record GoldenSpan(string DocumentId, int Start, int End);
