using GraphRag.Graph.Model;
using GraphRag.Graph.Traversal;

namespace GraphRag.Query.Retrieval;

/// <summary>A candidate answer reached from a question entity along labelled relations.</summary>
/// <param name="Entity">The entity at the end of the chain.</param>
/// <param name="Path">The chain from the question entity to it.</param>
/// <param name="Labels">The labels along the chain.</param>
/// <param name="Score">How well the chain fits the question's relation words and answer type.</param>
public sealed record ChainCandidate(EntityNode Entity, GraphPath Path, IReadOnlyList<string> Labels, double Score)
{
    /// <summary>The share of the question's relation words the chain follows.</summary>
    public double Coverage { get; init; }

    /// <summary>Steps along relations the question does not ask about (at most one).</summary>
    public int Unmatched { get; init; }

    /// <summary>
    /// How well the chain agrees with the question's other named entities (on the chain, or next to one of its later
    /// entities); it orders candidates and leaves <see cref="Score"/> as it is.
    /// </summary>
    public double Agreement { get; init; }
}

/// <summary>
/// Answers relational questions by walking the graph: from each entity the question names, along labelled relations
/// (up to three), to entities of the type the question asks for. A chain scores for every relation word of the
/// question it follows ("founder" → founded_by, "born" → born_in) and loses for extra steps, so "Where was the
/// founder of X born?" prefers X -founded_by-> Y -born_in-> Z over any other place near X.
/// </summary>
internal static class ChainReasoner
{
    public static IReadOnlyList<ChainCandidate> Find(
        GraphView graph,
        IReadOnlyList<LinkedEntity> links,
        IReadOnlyList<IReadOnlySet<string>> cues,
        IReadOnlySet<string> expectedTypes,
        int maxDepth = 3)
    {
        if (cues.Count == 0 || links.Count == 0)
        {
            return [];
        }

        var cueLabels = cues.SelectMany(c => c).ToHashSet(StringComparer.Ordinal);

        var named = links.Select(l => l.EntityId).ToHashSet(StringComparer.Ordinal);
        var results = new Dictionary<string, ChainCandidate>(StringComparer.Ordinal);
        foreach (var link in links.Take(3))
        {
            // Depth-first over labelled relations; states carry the path so far.
            var stack = new Stack<(string Entity, List<string> Entities, List<string> Relations, List<string> Labels)>();
            stack.Push((link.EntityId, [link.EntityId], [], []));
            var budget = 600;
            while (stack.Count > 0 && budget-- > 0)
            {
                var (current, entities, relations, labels) = stack.Pop();
                if (labels.Count >= maxDepth)
                {
                    continue;
                }

                // Labelled relations come first; only the strongest co-occurrences are worth a step.
                foreach (var neighbour in graph.Neighbours(current, labelledOnly: false, limit: 25))
                {
                    if (neighbour.Label == RelationLabels.AliasOf || entities.Contains(neighbour.Entity.Id)
                        || (neighbour.Label == RelationLabels.CoOccurs && neighbour.Entity.Type is EntityTypes.Date or EntityTypes.Quantity))
                    {
                        continue;
                    }

                    var nextEntities = new List<string>(entities) { neighbour.Entity.Id };
                    var nextRelations = new List<string>(relations) { neighbour.RelationId };
                    var nextLabels = new List<string>(labels) { neighbour.Label };
                    // How many of the question's relation words the chain follows, each at most once.
                    var matched = Followed(nextLabels, cues);
                    // Chains follow relations the question asks about; one unnamed step ("the company that X runs")
                    // is allowed, at a cost.
                    var unmatched = nextLabels.Count(l => !cueLabels.Contains(l));
                    if (unmatched > 1)
                    {
                        continue;
                    }

                    stack.Push((neighbour.Entity.Id, nextEntities, nextRelations, nextLabels));
                    if (named.Contains(neighbour.Entity.Id))
                    {
                        continue;
                    }

                    var typeFit = TypeFit(expectedTypes, neighbour.Entity.Type);
                    if (matched == 0 || typeFit == 0)
                    {
                        continue;
                    }

                    var coverage = matched / (double)cues.Count;
                    var score = (coverage * 2) + typeFit + (0.1 * link.Weight / (1 + link.Weight)) - (0.05 * nextLabels.Count) - (0.4 * unmatched);
                    if (!results.TryGetValue(neighbour.Entity.Id, out var existing) || existing.Score < score)
                    {
                        results[neighbour.Entity.Id] = new ChainCandidate(
                            neighbour.Entity,
                            new GraphPath(nextEntities, nextRelations, nextLabels.Count),
                            nextLabels,
                            score)
                        {
                            Coverage = coverage,
                            Unmatched = unmatched,
                        };
                    }
                }
            }
        }

        // The end entity is named from visible mentions only: its name may become the answer text.
        return results.Values.Where(c => c.Score > 0).Select(c => c with { Agreement = Agreement(graph, links, c) })
            .OrderByDescending(c => c.Score + c.Agreement).ThenBy(c => c.Entity.Id, StringComparer.Ordinal).Take(5)
            .Select(c => graph.Node(c.Entity.Id) is { } node ? c with { Entity = node } : null)
            .OfType<ChainCandidate>()
            .ToList();
    }

    /// <summary>
    /// A question that names two things asks about what connects them ("Who co-founded X with the founder of Y?", "the
    /// fair at which A received B"): each other confidently named entity on the chain adds 0.6, and one next to a later
    /// entity of the chain 0.45 — enough to outweigh an extra step or an unnamed one, not a relation the question asks
    /// about.
    /// </summary>
    private static double Agreement(GraphView graph, IReadOnlyList<LinkedEntity> links, ChainCandidate candidate)
    {
        var path = candidate.Path.EntityIds;
        var start = path[0];
        var agreement = 0.0;
        foreach (var other in links.Where(l => l.Weight >= 1 && l.EntityId != start).Select(l => l.EntityId).Distinct(StringComparer.Ordinal).Take(2))
        {
            if (path.Contains(other, StringComparer.Ordinal))
            {
                agreement += 0.6;
                continue;
            }

            if (path.Skip(1).Any(e => graph.Neighbours(e, labelledOnly: false, limit: 25).Any(n => n.Entity.Id == other)))
            {
                agreement += 0.45;
            }
        }

        return agreement;
    }

    /// <summary>1 for the asked type; "who" asks for a person first and an organisation second.</summary>
    /// <summary>How many of the question's relation cues a chain with these labels follows, each at most once.</summary>
    internal static int Followed(IReadOnlyList<string> labels, IReadOnlyList<IReadOnlySet<string>> cues) =>
        cues.Count(cue => labels.Any(cue.Contains));

    internal static double TypeFit(IReadOnlySet<string> expected, string type)
    {
        if (expected.Count == 0)
        {
            return 0.5;
        }

        if (!expected.Contains(type))
        {
            return 0;
        }

        return type == EntityTypes.Organization && expected.Contains(EntityTypes.Person) ? 0.6 : 1.0;
    }
}
