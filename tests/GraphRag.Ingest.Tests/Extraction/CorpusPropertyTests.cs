using GraphRag.Graph.Text;
using GraphRag.Graph;
using GraphRag.Graph.Model;
using GraphRag.Ingest.Chunking;
using GraphRag.Ingest.Extraction;

namespace GraphRag.Ingest.Tests.Extraction;

/// <summary>Invariants every extracted graph keeps, checked on every passage of the real MuSiQue sample.</summary>
public sealed class CorpusPropertyTests
{
    [DatasetFact]
    public async Task Extract_MusiqueCorpus_EveryMentionMatchesItsSpanAndEveryIdIsContentDerived()
    {
        var documents = await ExtractionThroughput.ReadCorpusAsync(SharedDatasets.Corpus("musique-100")!);
        var extractor = new RuleBasedGraphExtractor();
        documents.Should().NotBeEmpty();

        foreach (var document in documents)
        {
            var chunks = OverlappingSentenceChunks(document);
            var graph = extractor.Extract(document, chunks);

            var entityIds = graph.Entities.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
            entityIds.Should().HaveCount(graph.Entities.Count, "entities are unique in {0}", document.Id);
            graph.Mentions.Select(m => m.Id).Should().OnlyHaveUniqueItems("mention ids are unique in {0}", document.Id);
            foreach (var entity in graph.Entities)
            {
                entity.Id.Should().Be(StableId.Create("ent", entity.Key));
                entity.Key.Should().NotBeEmpty();
                graph.Mentions.Should().Contain(m => m.EntityId == entity.Id, "entity {0} of {1} needs a mention", entity.Name, document.Id);
            }

            foreach (var mention in graph.Mentions)
            {
                entityIds.Should().Contain(mention.EntityId);
                mention.Span.DocumentId.Should().Be(document.Id);
                mention.Text.Should().Be(document.Text.Substring(mention.Span.Start, mention.Span.Length), "mention in {0}", document.Id);
                mention.Id.Should().Be(StableId.Create("men", document.Id, mention.Span.Start.ToString(System.Globalization.CultureInfo.InvariantCulture), mention.Span.End.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                mention.Span.ChunkId.Should().Be(LowestChunkContaining(chunks, mention.Span.Start), "mention '{0}' in {1}", mention.Text, document.Id);
            }

            foreach (var relation in graph.Relations)
            {
                entityIds.Should().Contain([relation.SourceId, relation.TargetId]);
                relation.SourceId.Should().NotBe(relation.TargetId);
                relation.Id.Should().Be(StableId.Create("rel", relation.SourceId, relation.Label, relation.TargetId));
                relation.Evidence.Should().NotBeEmpty();
                relation.Weight.Should().BeApproximately(relation.Evidence.Sum(e => e.Weight), 1e-9);
                foreach (var evidence in relation.Evidence)
                {
                    evidence.Span.DocumentId.Should().Be(document.Id);
                    evidence.Span.Start.Should().BeGreaterThanOrEqualTo(0);
                    evidence.Span.End.Should().BeLessThanOrEqualTo(document.Text.Length);
                    evidence.Span.ChunkId.Should().Be(LowestChunkContaining(chunks, evidence.Span.Start));
                }
            }
        }
    }

    /// <summary>Three-sentence chunks that overlap by one sentence, so a mention can lie in two chunks.</summary>
    private static List<Chunk> OverlappingSentenceChunks(Document document)
    {
        var sentences = SentenceSplitter.Split(document.Text);
        var chunks = new List<Chunk>();
        for (var first = 0; first < sentences.Count; first += 2)
        {
            var last = Math.Min(sentences.Count - 1, first + 2);
            var start = first == 0 ? 0 : sentences[first].Start;
            var end = last == sentences.Count - 1 ? document.Text.Length : sentences[last].End;
            chunks.Add(new Chunk
            {
                Id = $"{document.Id}#{chunks.Count}",
                DocumentId = document.Id,
                Ordinal = chunks.Count,
                Text = document.Text[start..end],
                Start = start,
                End = end,
                TokenCount = 0,
            });
            if (last == sentences.Count - 1)
            {
                break;
            }
        }

        return chunks;
    }

    private static string LowestChunkContaining(List<Chunk> chunks, int position) =>
        chunks.Where(c => c.Start <= position && position < c.End).OrderBy(c => c.Ordinal).Select(c => c.Id).FirstOrDefault()
        ?? chunks[0].Id;
}
