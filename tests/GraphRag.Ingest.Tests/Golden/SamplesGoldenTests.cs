using GraphRag.Graph;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;

namespace GraphRag.Ingest.Tests.Golden;

/// <summary>
/// The sample corpus, ingested through the real pipeline, holds every hand-checked fact of samples.golden.json with
/// exactly its ids and spans. The golden file lists only what a reader of the corpus agrees is stated; what the extractor
/// misses or gets wrong is in <see cref="SamplesKnownGapsTests"/>, never here.
/// </summary>
public sealed class SamplesGoldenTests(SamplesStoreFixture samples) : IClassFixture<SamplesStoreFixture>
{
    private static readonly GoldenFile Golden = GoldenFile.Load();

    private IGraphReader Graph => samples.Store;

    private IDocumentReader Documents => samples.Store;

    [Fact]
    public void GoldenFile_EveryEntry_HasTheIdsDerivedFromItsKeys()
    {
        Golden.Corpus.Should().Be("samples/corpus");
        Golden.Entities.Should().HaveCountGreaterThanOrEqualTo(25);
        Golden.Relations.Should().HaveCountGreaterThanOrEqualTo(15);
        Golden.Entities.Select(e => e.Id).Should().OnlyHaveUniqueItems();
        Golden.Entities.SelectMany(e => e.Mentions).Should().OnlyHaveUniqueItems();
        foreach (var entity in Golden.Entities)
        {
            EntityKey.Normalize(entity.Name).Should().Be(entity.Key, "the key of {0}", entity.Name);
            StableId.Create("ent", entity.Key).Should().Be(entity.Id, "the id of {0}", entity.Name);
            entity.Mentions.Should().NotBeEmpty("{0} needs a mention", entity.Name);
        }

        foreach (var relation in Golden.Relations)
        {
            EntityKey.Normalize(relation.Source).Should().Be(relation.SourceKey, "the source key of {0}", relation);
            EntityKey.Normalize(relation.Target).Should().Be(relation.TargetKey, "the target key of {0}", relation);
            relation.Id.Should().Be(
                StableId.Create("rel", StableId.Create("ent", relation.SourceKey), relation.Label, StableId.Create("ent", relation.TargetKey)),
                "the id of {0}",
                relation);
        }
    }

    [Fact]
    public async Task Ingest_SamplesCorpus_EveryGoldenMentionTextEqualsTheStoredTextAtItsSpan()
    {
        var failures = new List<string>();
        foreach (var group in Golden.Entities.SelectMany(e => e.Mentions).GroupBy(m => m.DocumentId))
        {
            var document = await Documents.GetDocumentAsync(group.Key);
            if (document is null)
            {
                failures.Add($"no document '{group.Key}'");
                continue;
            }

            foreach (var mention in group)
            {
                var stored = mention.End <= document.Text.Length && mention.Start >= 0 && mention.Start < mention.End
                    ? document.Text[mention.Start..mention.End]
                    : "<out of range>";
                if (stored != mention.Text)
                {
                    failures.Add($"{mention}: the stored text there is \"{stored}\"");
                }
            }
        }

        failures.Should().BeEmpty();
    }

    [Fact]
    public async Task Ingest_SamplesCorpus_StoresEveryGoldenEntityWithItsIdKeyNameAndType()
    {
        var stored = (await Graph.GetEntitiesAsync(Golden.Entities.Select(e => e.Id).ToList())).ToDictionary(e => e.Id);

        var failures = new List<string>();
        foreach (var entity in Golden.Entities)
        {
            if (!stored.TryGetValue(entity.Id, out var actual))
            {
                failures.Add($"{entity.Name} ({entity.Id}) is not stored");
            }
            else if (actual.Key != entity.Key || actual.Name != entity.Name || actual.Type != entity.Type)
            {
                failures.Add($"{entity.Name}: expected key '{entity.Key}', {entity.Type}; stored '{actual.Key}' \"{actual.Name}\" {actual.Type}");
            }
            else if (actual.DocumentCount < entity.Mentions.Select(m => m.DocumentId).Distinct().Count()
                     || actual.MentionCount < entity.Mentions.Count)
            {
                failures.Add($"{entity.Name}: {actual.MentionCount} mentions in {actual.DocumentCount} documents is fewer than the golden ones");
            }
        }

        failures.Should().BeEmpty();
    }

    [Fact]
    public async Task Ingest_SamplesCorpus_StoresEveryGoldenMentionOnItsEntityAtItsSpan()
    {
        var mentions = await Graph.GetMentionsAsync(new MentionQuery { EntityIds = Golden.Entities.Select(e => e.Id).ToList(), Limit = 100_000 });
        var bySpan = mentions.ToLookup(m => (m.EntityId, m.Span.DocumentId, m.Span.Start, m.Span.End));
        var chunks = (await Documents.GetChunksAsync(mentions.Select(m => m.Span.ChunkId).Distinct().ToList())).ToDictionary(c => c.Id);

        var failures = new List<string>();
        foreach (var entity in Golden.Entities)
        {
            foreach (var expected in entity.Mentions)
            {
                var actual = bySpan[(entity.Id, expected.DocumentId, expected.Start, expected.End)].FirstOrDefault();
                if (actual is null)
                {
                    var there = mentions.Where(m => m.Span.DocumentId == expected.DocumentId && m.Span.Start < expected.End && m.Span.End > expected.Start);
                    failures.Add($"{entity.Name}: no mention {expected}; the entity's mentions overlapping it: [{string.Join(", ", there.Select(m => $"\"{m.Text}\" {m.Span.Start}-{m.Span.End}"))}]");
                }
                else if (actual.Text != expected.Text)
                {
                    failures.Add($"{entity.Name}: mention {expected} is stored with the text \"{actual.Text}\"");
                }
                else if (!chunks.TryGetValue(actual.Span.ChunkId, out var chunk) || chunk.DocumentId != expected.DocumentId
                         || chunk.Start > expected.Start || chunk.End < expected.End)
                {
                    failures.Add($"{entity.Name}: mention {expected} points at chunk {actual.Span.ChunkId}, which does not contain it");
                }
            }
        }

        failures.Should().BeEmpty();
    }

    [Fact]
    public async Task Ingest_SamplesCorpus_StoresEveryGoldenRelationWithItsEvidenceSpan()
    {
        var relations = (await Graph.GetRelationsAsync(new RelationQuery { RelationIds = Golden.Relations.Select(r => r.Id).Distinct().ToList() }))
            .ToDictionary(r => r.Id);
        var chunks = (await Documents.GetChunksAsync(relations.Values.SelectMany(r => r.Evidence).Select(e => e.Span.ChunkId).Distinct().ToList()))
            .ToDictionary(c => c.Id);

        var failures = new List<string>();
        foreach (var expected in Golden.Relations)
        {
            if (!relations.TryGetValue(expected.Id, out var actual))
            {
                failures.Add($"{expected}: no relation {expected.Id}");
                continue;
            }

            if (actual.SourceId != StableId.Create("ent", expected.SourceKey) || actual.TargetId != StableId.Create("ent", expected.TargetKey)
                || actual.Label != expected.Label)
            {
                failures.Add($"{expected}: stored as {actual.SourceId} -[{actual.Label}]-> {actual.TargetId}");
                continue;
            }

            var evidence = actual.Evidence.FirstOrDefault(e =>
                e.Span.DocumentId == expected.Evidence.DocumentId && e.Span.Start == expected.Evidence.Start && e.Span.End == expected.Evidence.End);
            if (evidence is null)
            {
                failures.Add($"{expected}: no such evidence; stored evidence: [{string.Join(", ", actual.Evidence.Select(e => $"{e.Span.DocumentId} {e.Span.Start}-{e.Span.End}"))}]");
            }
            else if (!chunks.TryGetValue(evidence.Span.ChunkId, out var chunk) || chunk.DocumentId != expected.Evidence.DocumentId
                     || chunk.Start > evidence.Span.Start || chunk.End <= evidence.Span.Start)
            {
                failures.Add($"{expected}: the evidence points at chunk {evidence.Span.ChunkId}, which does not contain its start");
            }
        }

        failures.Should().BeEmpty();
    }
}
