using System.Text.Json;
using GraphRag.Graph;
using GraphRag.Graph.Model;
using GraphRag.Ingest.Extraction;
using Xunit.Abstractions;

namespace GraphRag.Ingest.Tests.Extraction;

/// <summary>
/// Measurements, not gates: throughput on one core and question-to-passage entity linking coverage on the shared
/// datasets. Run with <c>dotnet test --filter Category=Measure --logger "console;verbosity=detailed"</c>.
/// </summary>
[Trait("Category", "Measure")]
public sealed class ExtractionDiagnostics(ITestOutputHelper output)
{
    [DatasetFact]
    public async Task Measure_Throughput_OnMusique()
    {
        var result = await ExtractionThroughput.MeasureAsync(new RuleBasedGraphExtractor(), SharedDatasets.Corpus("musique-100")!, rounds: 3);

        output.WriteLine("musique-100 extraction on one thread: " + result);
        result.Documents.Should().BeGreaterThan(0);
    }

    /// <summary>
    /// For each question: the keys of the entities the extractor finds in the question (as a one-sentence document),
    /// plus every 1–6 word n-gram of the question whose key is an entity key somewhere in the corpus. A question is
    /// linked when one of those keys is the key of an entity extracted from one of its gold passages.
    /// </summary>
    [DatasetFact]
    public async Task Measure_QuestionLinkingCoverage_PerDataset()
    {
        var extractor = new RuleBasedGraphExtractor();
        foreach (var dataset in new[] { "musique-100", "hotpotqa-100" })
        {
            var corpus = SharedDatasets.Corpus(dataset);
            var questionsPath = SharedDatasets.Questions(dataset);
            if (corpus is null || questionsPath is null)
            {
                output.WriteLine($"{dataset}: not found, skipped");
                continue;
            }

            var documents = await ExtractionThroughput.ReadCorpusAsync(corpus);
            var keysByDocument = new Dictionary<string, List<ExtractedEntity>>(StringComparer.Ordinal);
            var surfacesByDocument = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var document in documents)
            {
                var graph = extractor.Extract(document, ExtractionFixtures.WholeChunk(document));
                keysByDocument[document.Id] = [.. graph.Entities];
                var named = graph.Entities.Where(IsNamed).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
                surfacesByDocument[document.Id] = graph.Mentions.Where(m => named.Contains(m.EntityId))
                    .Select(m => EntityKey.Normalize(m.Text)).Concat(graph.Entities.Where(IsNamed).Select(e => e.Key))
                    .ToHashSet(StringComparer.Ordinal);
            }

            var allSurfaces = surfacesByDocument.Values.SelectMany(s => s).ToHashSet(StringComparer.Ordinal);

            var allKeys = keysByDocument.Values.SelectMany(e => e).Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
            var namedKeys = keysByDocument.Values.SelectMany(e => e).Where(IsNamed).Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
            int total = 0, linkedAny = 0, linkedNamed = 0, linkedSurface = 0;
            foreach (var line in await File.ReadAllLinesAsync(questionsPath))
            {
                using var json = JsonDocument.Parse(line);
                var question = json.RootElement.GetProperty("question").GetString()!;
                var gold = json.RootElement.GetProperty("supporting_ids").EnumerateArray().Select(s => s.GetString()!).ToList();
                total++;

                var questionEntities = ExtractionFixtures.Extract(question, id: "question").Entities;
                var goldEntities = gold.Where(keysByDocument.ContainsKey).SelectMany(id => keysByDocument[id]).ToList();
                if (Linked(question, questionEntities, allKeys, goldEntities.Select(e => e.Key).ToHashSet(StringComparer.Ordinal), e => true))
                {
                    linkedAny++;
                }

                if (Linked(question, questionEntities, namedKeys, goldEntities.Where(IsNamed).Select(e => e.Key).ToHashSet(StringComparer.Ordinal), IsNamed))
                {
                    linkedNamed++;
                }
                else
                {
                    output.WriteLine($"  not linked by entity key: {question}");
                }

                // The store also indexes each mention's own key (mentions.surface_key), so "Hayek" finds the entity
                // "Friedrich Hayek" that the surname was resolved to.
                var goldSurfaces = gold.Where(surfacesByDocument.ContainsKey).SelectMany(id => surfacesByDocument[id]).ToHashSet(StringComparer.Ordinal);
                if (Linked(question, questionEntities, allSurfaces, goldSurfaces, IsNamed))
                {
                    linkedSurface++;
                }
            }

            output.WriteLine(FormattableString.Invariant(
                $"{dataset}: entity keys, all types {linkedAny}/{total}; entity keys, named only {linkedNamed}/{total}; named entity or mention surface keys {linkedSurface}/{total}"));
            total.Should().BeGreaterThan(0);
        }
    }

    private static bool IsNamed(ExtractedEntity entity) => entity.Type is not (EntityTypes.Date or EntityTypes.Quantity);

    private static bool Linked(
        string question, IReadOnlyList<ExtractedEntity> questionEntities, HashSet<string> corpusKeys, HashSet<string> goldKeys, Func<ExtractedEntity, bool> include)
    {
        if (questionEntities.Where(include).Any(e => goldKeys.Contains(e.Key)))
        {
            return true;
        }

        var words = EntityKey.Normalize(question).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < words.Length; i++)
        {
            for (var length = 1; length <= 6 && i + length <= words.Length; length++)
            {
                var key = string.Join(' ', words, i, length);
                if (corpusKeys.Contains(key) && goldKeys.Contains(key))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
