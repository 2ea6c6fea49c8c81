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
            // Depth-first over labelled relations; each state is the last step of its chain and links back to the ones
            // before, so a step the search only looks at allocates nothing and a pushed one a single node.
            var stack = new Stack<Step>();
            stack.Push(new Step(link.EntityId, null, null, null));
            var budget = 600;
            while (stack.Count > 0 && budget-- > 0)
            {
                var chain = stack.Pop();
                if (chain.Steps >= maxDepth)
                {
                    continue;
                }

                // Labelled relations come first; only the strongest co-occurrences are worth a step.
                foreach (var neighbour in graph.Neighbours(chain.Entity, labelledOnly: false, limit: 25))
                {
                    if (neighbour.Label == RelationLabels.AliasOf || chain.Reaches(neighbour.Entity.Id)
                        || (neighbour.Label == RelationLabels.CoOccurs && neighbour.Entity.Type is EntityTypes.Date or EntityTypes.Quantity))
                    {
                        continue;
                    }

                    // Chains follow relations the question asks about; one unnamed step ("the company that X runs")
                    // is allowed, at a cost.
                    var unmatched = chain.Unmatched + (cueLabels.Contains(neighbour.Label) ? 0 : 1);
                    if (unmatched > 1)
                    {
                        continue;
                    }

                    var next = new Step(neighbour.Entity.Id, neighbour.RelationId, neighbour.Label, chain) { Unmatched = unmatched };
                    stack.Push(next);
                    if (named.Contains(neighbour.Entity.Id))
                    {
                        continue;
                    }

                    // How many of the question's relation words the chain follows, each at most once.
                    var matched = next.Followed(cues);
                    var typeFit = TypeFit(expectedTypes, neighbour.Entity.Type);
                    if (matched == 0 || typeFit == 0)
                    {
                        continue;
                    }

                    var coverage = matched / (double)cues.Count;
                    var score = (coverage * 2) + typeFit + (0.1 * link.Weight / (1 + link.Weight)) - (0.05 * next.Steps) - (0.4 * unmatched);
                    if (!results.TryGetValue(neighbour.Entity.Id, out var existing) || existing.Score < score)
                    {
                        var labels = next.Labels();
                        results[neighbour.Entity.Id] = new ChainCandidate(
                            neighbour.Entity,
                            new GraphPath(next.Entities(), next.Relations(), labels.Count),
                            labels,
                            score)
                        {
                            Coverage = coverage,
                            Unmatched = unmatched,
                        };
                    }
                }
            }
        }

        // The end entity is named from visible mentions only: its name may become the answer text. What agrees with a
        // chain depends on where it starts, one of the first three links.
        var others = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        return results.Values.Where(c => c.Score > 0).Select(c => c with { Agreement = Agreement(graph, OthersFrom(c.Path.EntityIds[0]), c) })
            .OrderByDescending(c => c.Score + c.Agreement).ThenBy(c => c.Entity.Id, StringComparer.Ordinal).Take(5)
            .Select(c => graph.Node(c.Entity.Id) is { } node ? c with { Entity = node } : null)
            .OfType<ChainCandidate>()
            .ToList();

        List<string> OthersFrom(string start) => others.TryGetValue(start, out var found) ? found : others[start] = Others(links, start);
    }

    /// <summary>The question's other confidently named entities than <paramref name="start"/>: at most two.</summary>
    private static List<string> Others(IReadOnlyList<LinkedEntity> links, string start) =>
        links.Where(l => l.Weight >= 1 && l.EntityId != start).Select(l => l.EntityId).Distinct(StringComparer.Ordinal).Take(2).ToList();

    /// <summary>
    /// A question that names two things asks about what connects them ("Who co-founded X with the founder of Y?", "the
    /// fair at which A received B"): each other confidently named entity on the chain adds 0.6, and one next to a later
    /// entity of the chain 0.45 — enough to outweigh an extra step or an unnamed one, not a relation the question asks
    /// about.
    /// </summary>
    private static double Agreement(GraphView graph, IReadOnlyList<string> others, ChainCandidate candidate)
    {
        var path = candidate.Path.EntityIds;
        var agreement = 0.0;
        foreach (var other in others)
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

    /// <summary>One step of a chain under search: the entity it reaches, along which relation, and the steps before it.</summary>
    private sealed class Step(string entity, string? relation, string? label, Step? previous)
    {
        public string Entity { get; } = entity;

        public string? Relation { get; } = relation;

        public string? Label { get; } = label;

        public Step? Previous { get; } = previous;

        /// <summary>Relations from the question's entity: 0 at the start.</summary>
        public int Steps { get; } = previous is null ? 0 : previous.Steps + 1;

        /// <summary>Steps along relations the question does not ask about.</summary>
        public int Unmatched { get; init; }

        /// <summary>True when the chain passes through (or starts at) the entity.</summary>
        public bool Reaches(string entityId)
        {
            for (var step = this; step is not null; step = step.Previous)
            {
                if (step.Entity == entityId)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>As <see cref="ChainReasoner.Followed"/> over the chain's labels.</summary>
        public int Followed(IReadOnlyList<IReadOnlySet<string>> cues)
        {
            var followed = 0;
            foreach (var cue in cues)
            {
                for (var step = this; step?.Label is { } label; step = step.Previous)
                {
                    if (cue.Contains(label))
                    {
                        followed++;
                        break;
                    }
                }
            }

            return followed;
        }

        public List<string> Entities() => Collect(step => step.Entity, withStart: true);

        public List<string> Relations() => Collect(step => step.Relation!, withStart: false);

        public List<string> Labels() => Collect(step => step.Label!, withStart: false);

        /// <summary>A value of every step from the start to this one, in that order.</summary>
        private List<string> Collect(Func<Step, string> value, bool withStart)
        {
            var values = new List<string>(Steps + 1);
            for (var step = this; step is not null && (withStart || step.Previous is not null); step = step.Previous)
            {
                values.Add(value(step));
            }

            values.Reverse();
            return values;
        }
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
