using GraphRag.Graph.Model;
using QuikGraph;
using QuikGraph.Algorithms.ShortestPath;
using QuikGraph.Predicates;

namespace GraphRag.Graph.Traversal;

/// <summary>
/// An immutable, in-memory copy of the entity graph for traversal: entities, the chunks that mention them, and
/// relations with the chunks that support them. Every traversal takes an optional <see cref="Visibility"/>: an entity
/// exists for the caller only through a chunk the caller may read, and a relation only through a readable evidence
/// chunk, so no path, neighbour or score can route through what the caller may not see. Thread-safe.
/// </summary>
public sealed class GraphSnapshot
{
    private readonly EntityNode[] _entities;
    private readonly Dictionary<string, int> _entityIndex;
    private readonly string[] _chunkIds;
    private readonly string[] _chunkDocuments;
    private readonly Dictionary<string, int> _chunkIndex;
    private readonly (int Chunk, float Weight)[][] _entityChunks;
    private readonly (int Entity, float Weight)[][] _chunkEntities;
    private readonly RelationEdge[] _relations;
    // Each hit says who may use it: AdminUse for unscoped lookups, ScopedUse for lookups under a mask. A key derived
    // from the stored (consensus) name is admin-only, because that name may come from mentions a caller cannot read.
    private readonly Dictionary<string, (int Entity, int Chunk, byte Use)[]> _surfaceKeys;
    private readonly Lazy<string[]> _sortedKeys;
    // Per entity, its surface forms chunk by chunk (sorted by chunk, then text): what names it for a caller.
    private readonly (int Chunk, int Text, int Count)[][] _entitySurfaces;
    private readonly string[] _texts;
    private readonly int[][] _entityRelations;
    private readonly Dictionary<string, int> _relationIndex;
    // Per entity whose documents disagree on its type, each document's type vote: (a chunk of the document, type,
    // mentions). Readability goes by document, so any one chunk tells whether the caller reads the vote. Entities
    // every document types alike have no entry: their stored type is the only one any caller can see.
    private readonly Dictionary<int, (int Chunk, string Type, int Mentions)[]> _typeVotes;
    private readonly Dictionary<int, (int Chunk, string Type, int Mentions)[]> _nameVotes;
    // QuikGraph's adjacency is built on first use: only weighted shortest paths need it.
    private readonly Lazy<BidirectionalGraph<int, TaggedEdge<int, int>>> _graph;

    // The entity–chunk–entity graph PageRank walks, as compressed rows: node n's edges are
    // [_walkOffsets[n], _walkOffsets[n + 1]). Nodes are entities first, then chunks. _walkRelations holds the
    // relation behind an entity–entity edge, or -1 for a mention edge.
    private readonly int[] _walkOffsets;
    private readonly int[] _walkTargets;
    private readonly float[] _walkWeights;
    private readonly int[] _walkRelations;

    internal GraphSnapshot(
        long generation,
        IReadOnlyList<EntityNode> entities,
        IReadOnlyList<(string ChunkId, string DocumentId)> chunks,
        IReadOnlyList<(string EntityId, string ChunkId, string SurfaceKey, string Text, int Count)> mentions,
        IReadOnlyList<(string Id, string SourceId, string TargetId, string Label, double Weight, IReadOnlyList<string> EvidenceChunks)> relations,
        IReadOnlyDictionary<string, IReadOnlyList<double>>? evidenceWeights = null,
        IReadOnlyList<(string EntityId, string DocumentId, string Type, int Mentions)>? typeVotes = null,
        IReadOnlyList<(string EntityId, string DocumentId, string Name, int Mentions)>? nameVotes = null)
    {
        Generation = generation;
        _entities = [.. entities];
        _entityIndex = new Dictionary<string, int>(_entities.Length, StringComparer.Ordinal);
        for (var i = 0; i < _entities.Length; i++)
        {
            _entityIndex[_entities[i].Id] = i;
        }

        _chunkIds = new string[chunks.Count];
        _chunkDocuments = new string[chunks.Count];
        _chunkIndex = new Dictionary<string, int>(chunks.Count, StringComparer.Ordinal);
        for (var i = 0; i < chunks.Count; i++)
        {
            _chunkIds[i] = chunks[i].ChunkId;
            _chunkDocuments[i] = chunks[i].DocumentId;
            _chunkIndex[chunks[i].ChunkId] = i;
        }

        var pairs = new Dictionary<(int Entity, int Chunk), int>();
        var keys = new Dictionary<string, List<(int Entity, int Chunk, byte Use)>>(StringComparer.Ordinal);
        var texts = new Dictionary<string, int>(StringComparer.Ordinal);
        var surfaces = Enumerable.Range(0, _entities.Length).Select(_ => new List<(int Chunk, int Text, int Count)>()).ToArray();
        foreach (var (entityId, chunkId, surfaceKey, text, count) in mentions)
        {
            if (_entityIndex.TryGetValue(entityId, out var e) && _chunkIndex.TryGetValue(chunkId, out var c))
            {
                pairs[(e, c)] = pairs.GetValueOrDefault((e, c)) + count;
                if (!keys.TryGetValue(surfaceKey, out var list))
                {
                    keys[surfaceKey] = list = [];
                }

                // The same key from two texts of one chunk ("Keller", "KELLER") is one hit, as before.
                if (list.Count == 0 || list[^1].Entity != e || list[^1].Chunk != c)
                {
                    list.Add((e, c, BothUses));
                }

                // Surface texts repeat across chunks: one string per distinct text keeps the snapshot small.
                if (!texts.TryGetValue(text, out var t))
                {
                    texts[text] = t = texts.Count;
                }

                surfaces[e].Add((c, t, count));
            }
        }

        _typeVotes = DisputedVotes(typeVotes);
        _nameVotes = DisputedVotes(nameVotes);
        _texts = new string[texts.Count];
        foreach (var (text, t) in texts)
        {
            _texts[t] = text;
        }

        _entitySurfaces = surfaces
            .Select(l => l.OrderBy(s => s.Chunk).ThenBy(s => s.Text).ToArray())
            .ToArray();

        var entityChunks = Enumerable.Range(0, _entities.Length).Select(_ => new List<(int, float)>()).ToArray();
        var chunkEntities = Enumerable.Range(0, _chunkIds.Length).Select(_ => new List<(int, float)>()).ToArray();
        foreach (var ((e, c), count) in pairs.OrderBy(p => p.Key.Entity).ThenBy(p => p.Key.Chunk))
        {
            entityChunks[e].Add((c, count));
            chunkEntities[c].Add((e, count));
        }

        _entityChunks = entityChunks.Select(l => l.ToArray()).ToArray();
        _chunkEntities = chunkEntities.Select(l => l.ToArray()).ToArray();
        // A person's full name is also found without its middle names: "Jonathan Douglass Reid" as "Jonathan Reid".
        foreach (var (surfaceKey, hits) in keys.ToList())
        {
            var words = surfaceKey.Split(' ');
            if (words.Length < 3 || words.Skip(1).SkipLast(1).Any(w => w.Length <= 3))
            {
                continue;
            }

            var shortKey = words[0] + " " + words[^1];
            // Only a person's name is shortened. Where documents disagree on the type, the administrator goes by the
            // stored type and a caller by the type its readable documents vote for (checked at lookup).
            var people = hits
                .Where(h => !_typeVotes.ContainsKey(h.Entity) && _entities[h.Entity].Type == EntityTypes.Person)
                .Concat(hits.Where(h => _typeVotes.ContainsKey(h.Entity) && _entities[h.Entity].Type == EntityTypes.Person)
                    .Select(h => (h.Entity, h.Chunk, AdminUse)))
                .Concat(hits.Where(h => _typeVotes.TryGetValue(h.Entity, out var votes) && votes.Any(v => v.Type == EntityTypes.Person))
                    .Select(h => (h.Entity, h.Chunk, (byte)(ScopedUse | PersonOnly))))
                .ToList();
            if (people.Count > 0)
            {
                if (!keys.TryGetValue(shortKey, out var list))
                {
                    keys[shortKey] = list = [];
                }

                list.AddRange(people);
            }
        }

        // A name with a disambiguating parenthesis ("David Jones (rugby)", "Brand (play)") is also found by its base.
        // Unscoped lookups take the base of the stored name in every chunk of the entity; scoped ones take the base of
        // each chunk's own surface text, so a caller finds the base only where it reads the parenthesised form.
        for (var e = 0; e < _entities.Length; e++)
        {
            if (BaseKey(_entities[e].Name) is { } baseKey)
            {
                AddHits(keys, baseKey, entityChunks[e].Select(m => (e, m.Item1, AdminUse)));
            }

            foreach (var (c, t, _) in _entitySurfaces[e])
            {
                if (BaseKey(_texts[t]) is { } surfaceBase)
                {
                    AddHits(keys, surfaceBase, [(e, c, ScopedUse)]);
                }
            }
        }

        _surfaceKeys = keys.ToDictionary(k => k.Key, k => k.Value.ToArray(), StringComparer.Ordinal);
        _sortedKeys = new Lazy<string[]>(() => [.. _surfaceKeys.Keys.Order(StringComparer.Ordinal)], LazyThreadSafetyMode.ExecutionAndPublication);
        MaxKeyWords = _surfaceKeys.Keys.Select(k => k.Count(ch => ch == ' ') + 1).DefaultIfEmpty(0).Max();

        var edges = new List<RelationEdge>(relations.Count);
        var entityRelations = Enumerable.Range(0, _entities.Length).Select(_ => new List<int>()).ToArray();
        foreach (var relation in relations)
        {
            if (!_entityIndex.TryGetValue(relation.SourceId, out var s) || !_entityIndex.TryGetValue(relation.TargetId, out var t) || s == t)
            {
                continue;
            }

            // Each evidence chunk's share of the weight, so a caller's view can weigh the relation by what it reads.
            var shares = new Dictionary<int, double>();
            var given = evidenceWeights?.GetValueOrDefault(relation.Id);
            for (var i = 0; i < relation.EvidenceChunks.Count; i++)
            {
                var c = _chunkIndex.GetValueOrDefault(relation.EvidenceChunks[i], -1);
                if (c >= 0)
                {
                    shares[c] = shares.GetValueOrDefault(c) + (given is not null && i < given.Count ? given[i] : 0);
                }
            }

            if (shares.Count == 0)
            {
                continue;
            }

            var evidence = shares.Keys.ToArray();
            var index = edges.Count;
            edges.Add(new RelationEdge(
                relation.Id, s, t, relation.Label, relation.Weight, evidence, given is null ? null : evidence.Select(c => shares[c]).ToArray()));
            entityRelations[s].Add(index);
            entityRelations[t].Add(index);
        }

        _relations = [.. edges];
        _relationIndex = new Dictionary<string, int>(_relations.Length, StringComparer.Ordinal);
        for (var r = 0; r < _relations.Length; r++)
        {
            _relationIndex[_relations[r].Id] = r;
        }

        // Each entity's relations, labelled before co-occurrence, strongest first: the order every traversal wants.
        _entityRelations = entityRelations
            .Select(l => l.OrderByDescending(r => edges[r].Label != RelationLabels.CoOccurs)
                .ThenByDescending(r => edges[r].Weight)
                .ThenBy(r => edges[r].Id, StringComparer.Ordinal)
                .ToArray())
            .ToArray();
        (_walkOffsets, _walkTargets, _walkWeights, _walkRelations) = BuildWalkGraph();
        _graph = new Lazy<BidirectionalGraph<int, TaggedEdge<int, int>>>(BuildAdjacency, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The store generation this snapshot was read at.</summary>
    public long Generation { get; }

    public int EntityCount => _entities.Length;

    public int ChunkCount => _chunkIds.Length;

    public int RelationCount => _relations.Length;

    /// <summary>The most words in any surface key: longer n-grams cannot match.</summary>
    public int MaxKeyWords { get; }

    public bool ContainsEntity(string entityId) => _entityIndex.ContainsKey(entityId);

    /// <summary>
    /// Entities mentioned somewhere by a surface form with this normalised key (see <see cref="EntityKey"/>), with
    /// the number of visible chunks that use that form. Only visible mentions count, so an alias seen only in an
    /// unreadable document links nothing.
    /// </summary>
    public IReadOnlyList<(EntityNode Entity, int Chunks)> LookupKey(string key, Visibility? visibility = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (visibility is not null && !ReferenceEquals(visibility.Snapshot, this))
        {
            throw new ArgumentException("The visibility mask belongs to another snapshot.", nameof(visibility));
        }

        if (!_surfaceKeys.TryGetValue(key, out var hits))
        {
            return [];
        }

        return Aggregate(hits, visibility);
    }

    /// <summary>
    /// Like <see cref="LookupKey"/> for every surface key that starts with <paramref name="keyPrefix"/> (the exact key
    /// included), counting each entity's visible chunks over all those keys. At most <paramref name="maxKeys"/> keys
    /// are examined, in ordinal order, and only keys that name something the caller can see count towards the cap: the
    /// search runs over the caller's own sorted keys, so keys only other tenants' documents hold can neither fill the
    /// cap nor cost the caller any work.
    /// </summary>
    public IReadOnlyList<(EntityNode Entity, int Chunks)> LookupPrefix(string keyPrefix, Visibility? visibility = null, int maxKeys = 10_000)
    {
        ArgumentNullException.ThrowIfNull(keyPrefix);
        CheckMask(visibility);
        if (keyPrefix.Length == 0)
        {
            return [];
        }

        var sorted = visibility is null ? _sortedKeys.Value : VisibleKeys(visibility);
        var at = Array.BinarySearch(sorted, keyPrefix, StringComparer.Ordinal);
        if (at < 0)
        {
            at = ~at;
        }

        var hits = new List<(int Entity, int Chunk, byte Use)>();
        for (var i = at; i < sorted.Length && i - at < maxKeys && sorted[i].StartsWith(keyPrefix, StringComparison.Ordinal); i++)
        {
            hits.AddRange(_surfaceKeys[sorted[i]]);
        }

        return Aggregate(hits, visibility);
    }

    /// <summary>The surface keys with at least one hit the caller may use, sorted; built once per mask.</summary>
    private string[] VisibleKeys(Visibility visibility) =>
        visibility.SortedKeys ??= [.. _sortedKeys.Value.Where(key => _surfaceKeys[key].Any(hit => Usable(hit, visibility)))];

    /// <summary>
    /// How an entity appears to a caller: named by the surface forms of its visible mentions only. Null when the
    /// entity is absent or has no visible mention — the two look the same. Without a mask the name is the stored one.
    /// </summary>
    public EntityLabel? Describe(string entityId, Visibility? visibility = null)
    {
        ArgumentNullException.ThrowIfNull(entityId);
        return TryVisibleEntity(entityId, visibility, out var e) ? Describe(e, visibility) : null;
    }

    /// <summary>
    /// The entity's name as the caller may see it: the stored name without a mask, else its most frequent visible
    /// surface form (ties to the longer, then ordinally). Null when absent or invisible.
    /// </summary>
    public string? NameOf(string entityId, Visibility? visibility = null)
    {
        ArgumentNullException.ThrowIfNull(entityId);
        if (!TryVisibleEntity(entityId, visibility, out var e))
        {
            return null;
        }

        return visibility is null ? _entities[e].Name : VisibleName(e, visibility);
    }

    /// <summary>
    /// The node as the caller may see it: the stored node without a mask, else one whose name and key come from
    /// visible mentions only. Null when absent or invisible.
    /// </summary>
    public EntityNode? VisibleNode(string entityId, Visibility? visibility = null)
    {
        var name = NameOf(entityId, visibility);
        if (name is null)
        {
            return null;
        }

        var e = _entityIndex[entityId];
        return visibility is null ? _entities[e]
            : name == _entities[e].Name ? Node(e, visibility)
            : Node(e, visibility) with { Name = name, Key = EntityKey.Normalize(name) };
    }

    /// <summary>
    /// The most mentioned entities the caller can see (visible mentions only), optionally of one type, most mentioned
    /// first, then by id.
    /// </summary>
    public IReadOnlyList<EntityLabel> TopEntities(string? type, int limit, Visibility? visibility = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        CheckMask(visibility);
        var counted = new List<(int Entity, int Mentions)>();
        for (var e = 0; e < _entities.Length; e++)
        {
            if (type is not null && TypeOf(e, visibility) != type)
            {
                continue;
            }

            var mentions = 0;
            foreach (var (c, w) in _entityChunks[e])
            {
                if (visibility is null || visibility.Chunks[c])
                {
                    mentions += (int)w;
                }
            }

            if (mentions > 0)
            {
                counted.Add((e, mentions));
            }
        }

        return counted
            .OrderByDescending(p => p.Mentions)
            .ThenBy(p => _entities[p.Entity].Id, StringComparer.Ordinal)
            .Take(limit)
            .Select(p => Describe(p.Entity, visibility))
            .ToList();
    }

    /// <summary>True when the relation is in this snapshot and the caller sees it (a readable evidence chunk and both ends).</summary>
    public bool IsRelationVisible(string relationId, Visibility? visibility = null)
    {
        ArgumentNullException.ThrowIfNull(relationId);
        CheckMask(visibility);
        return _relationIndex.TryGetValue(relationId, out var r) && RelationVisible(r, visibility);
    }

    private const byte AdminUse = 1;
    private const byte ScopedUse = 2;
    private const byte BothUses = AdminUse | ScopedUse;
    // A scoped hit that counts only while the entity's visible type is Person.
    private const byte PersonOnly = 4;

    private static string? BaseKey(string name)
    {
        var open = name.IndexOf(" (", StringComparison.Ordinal);
        if (open > 0 && name.EndsWith(')'))
        {
            var baseKey = EntityKey.Normalize(name[..open]);
            return baseKey.Length > 0 ? baseKey : null;
        }

        return null;
    }

    private static void AddHits(
        Dictionary<string, List<(int Entity, int Chunk, byte Use)>> keys, string key, IEnumerable<(int Entity, int Chunk, byte Use)> hits)
    {
        if (!keys.TryGetValue(key, out var list))
        {
            keys[key] = list = [];
        }

        list.AddRange(hits);
    }

    /// <summary>Whether a key's hit counts for this caller: its use, its chunk's visibility and, for some, the type it sees.</summary>
    private bool Usable((int Entity, int Chunk, byte Use) hit, Visibility? visibility) =>
        visibility is null
            ? (hit.Use & AdminUse) != 0
            : (hit.Use & ScopedUse) != 0 && visibility.Chunks[hit.Chunk]
                && ((hit.Use & PersonOnly) == 0 || TypeOf(hit.Entity, visibility) == EntityTypes.Person);

    private List<(EntityNode, int)> Aggregate(IEnumerable<(int Entity, int Chunk, byte Use)> hits, Visibility? visibility) =>
        hits.Where(h => Usable(h, visibility))
            .GroupBy(h => h.Entity)
            .Select(g => (Node(g.Key, visibility), g.Select(h => h.Chunk).Distinct().Count()))
            .OrderByDescending(p => p.Item2)
            .ThenBy(p => p.Item1.Id, StringComparer.Ordinal)
            .ToList();

    private EntityLabel Describe(int e, Visibility? visibility)
    {
        var forms = VisibleForms(e, visibility, out var mentions, out var chunks, out var documents);
        var name = visibility is null ? _entities[e].Name : VisibleName(e, visibility);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { name };
        var aliases = forms.Select(f => f.Text).Where(seen.Add).ToList();
        return new EntityLabel(_entities[e].Id, name, TypeOf(e, visibility), aliases, mentions, chunks, documents);
    }

    /// <summary>
    /// The entity's distinct visible surface texts, most frequent first; on a tie the longer (a full name over the
    /// surname that refers back to it, as the store's own name vote prefers), then ordinal.
    /// </summary>
    private List<(string Text, int Count)> VisibleForms(int e, Visibility? visibility, out int mentions, out int chunks, out int documents)
    {
        var counts = new Dictionary<int, int>();
        var documentSet = new HashSet<string>(StringComparer.Ordinal);
        mentions = 0;
        chunks = 0;
        var last = -1;
        foreach (var (c, t, n) in _entitySurfaces[e])
        {
            if (visibility is not null && !visibility.Chunks[c])
            {
                continue;
            }

            counts[t] = counts.GetValueOrDefault(t) + n;
            mentions += n;
            if (c != last)
            {
                chunks++;
                documentSet.Add(_chunkDocuments[c]);
                last = c;
            }
        }

        documents = documentSet.Count;
        return counts
            .Select(p => (_texts[p.Key], p.Value))
            .OrderByDescending(p => p.Value)
            .ThenByDescending(p => p.Item1.Length)
            .ThenBy(p => p.Item1, StringComparer.Ordinal)
            .ToList();
    }

    private void CheckMask(Visibility? visibility)
    {
        if (visibility is not null && !ReferenceEquals(visibility.Snapshot, this))
        {
            throw new ArgumentException("The visibility mask belongs to another snapshot.", nameof(visibility));
        }
    }

    public EntityNode? GetEntity(string entityId) => _entityIndex.TryGetValue(entityId, out var i) ? _entities[i] : null;

    /// <summary>
    /// The entity's type as the caller may see it: the stored type without a mask, else the store's type vote
    /// (<see cref="EntityTypes.Other"/> last, then most documents, most mentions, ordinal) counted over readable
    /// documents only, so it is what a store holding only those documents would hold. Null when absent or invisible.
    /// </summary>
    public string? TypeOf(string entityId, Visibility? visibility = null)
    {
        ArgumentNullException.ThrowIfNull(entityId);
        return TryVisibleEntity(entityId, visibility, out var e) ? TypeOf(e, visibility) : null;
    }

    /// <summary>
    /// A relation's weight as the caller sees it: from its readable evidence under a mask, else the stored weight.
    /// Null when the relation is absent or invisible.
    /// </summary>
    public double? RelationWeight(string relationId, Visibility? visibility = null)
    {
        ArgumentNullException.ThrowIfNull(relationId);
        CheckMask(visibility);
        return _relationIndex.TryGetValue(relationId, out var r) && RelationVisible(r, visibility) ? WeightOf(r, visibility) : null;
    }

    /// <summary>A mask over this snapshot's chunks: only chunks of the given documents are readable.</summary>
    public Visibility CreateVisibility(Func<string, bool> documentReadable)
    {
        ArgumentNullException.ThrowIfNull(documentReadable);
        var byDocument = new Dictionary<string, bool>(StringComparer.Ordinal);
        var chunks = new bool[_chunkIds.Length];
        for (var i = 0; i < chunks.Length; i++)
        {
            var document = _chunkDocuments[i];
            if (!byDocument.TryGetValue(document, out var readable))
            {
                readable = documentReadable(document);
                byDocument[document] = readable;
            }

            chunks[i] = readable;
        }

        var entities = new bool[_entities.Length];
        for (var e = 0; e < entities.Length; e++)
        {
            entities[e] = _entityChunks[e].Any(m => chunks[m.Chunk]);
        }

        var relations = new bool[_relations.Length];
        var weights = new double[_relations.Length];
        for (var r = 0; r < relations.Length; r++)
        {
            var edge = _relations[r];
            relations[r] = entities[edge.Source] && entities[edge.Target] && edge.EvidenceChunks.Any(c => chunks[c]);
            weights[r] = relations[r] ? VisibleWeight(edge, chunks) : 0;
        }

        return new Visibility(this, chunks, entities, relations, weights, chunks.Count(c => c));
    }

    /// <summary>Entities one relation away, strongest first.</summary>
    public IReadOnlyList<Neighbour> Neighbours(string entityId, Visibility? visibility = null, bool labelledOnly = false, int limit = 50)
    {
        if (!TryVisibleEntity(entityId, visibility, out var e))
        {
            return [];
        }

        // Already in the wanted order (see the constructor), so the first visible ones are the answer.
        var result = new List<Neighbour>(Math.Min(limit, _entityRelations[e].Length));
        foreach (var r in RelationsOf(e, visibility))
        {
            if (result.Count >= limit)
            {
                break;
            }

            var edge = _relations[r];
            if (!RelationVisible(r, visibility) || (labelledOnly && edge.Label == RelationLabels.CoOccurs))
            {
                continue;
            }

            var other = edge.Source == e ? edge.Target : edge.Source;
            result.Add(new Neighbour(Node(other, visibility), edge.Id, edge.Label, WeightOf(r, visibility), Outgoing: edge.Source == e));
        }

        return result;
    }

    /// <summary>The entities within <paramref name="hops"/> relations of the seeds and the relations among them.</summary>
    public Subgraph KHop(IEnumerable<string> seedEntityIds, int hops, Visibility? visibility = null, int maxEntities = 200)
    {
        ArgumentNullException.ThrowIfNull(seedEntityIds);
        var depth = new Dictionary<int, int>();
        var frontier = new List<int>();
        foreach (var id in seedEntityIds)
        {
            if (TryVisibleEntity(id, visibility, out var e) && depth.TryAdd(e, 0))
            {
                frontier.Add(e);
            }
        }

        for (var level = 1; level <= hops && frontier.Count > 0 && depth.Count < maxEntities; level++)
        {
            var next = new List<int>();
            foreach (var e in frontier)
            {
                // Strongest relations first (as the caller weighs them), so the cap keeps the most supported neighbours.
                foreach (var r in RelationsOf(e, visibility))
                {
                    if (!RelationVisible(r, visibility))
                    {
                        continue;
                    }

                    var other = _relations[r].Source == e ? _relations[r].Target : _relations[r].Source;
                    if (depth.Count >= maxEntities)
                    {
                        break;
                    }

                    if (depth.TryAdd(other, level))
                    {
                        next.Add(other);
                    }
                }
            }

            frontier = next;
        }

        var relations = depth.Keys
            .SelectMany(e => _entityRelations[e])
            .Distinct()
            .Where(r => RelationVisible(r, visibility) && depth.ContainsKey(_relations[r].Source) && depth.ContainsKey(_relations[r].Target))
            .Select(r => (Edge: _relations[r], Weight: WeightOf(r, visibility)))
            .Select(p => new SubgraphEdge(p.Edge.Id, _entities[p.Edge.Source].Id, _entities[p.Edge.Target].Id, p.Edge.Label, p.Weight))
            .OrderBy(edge => edge.RelationId, StringComparer.Ordinal)
            .ToList();
        var nodes = depth.OrderBy(p => p.Value).ThenBy(p => _entities[p.Key].Id, StringComparer.Ordinal)
            .Select(p => new SubgraphNode(Node(p.Key, visibility), p.Value))
            .ToList();
        return new Subgraph(nodes, relations);
    }

    /// <summary>
    /// The cheapest path between two entities over visible relations (Dijkstra). A labelled relation costs less than
    /// a co-occurrence, and a better-supported relation less than a weak one. Null when none within reach.
    /// </summary>
    public GraphPath? ShortestPath(string fromEntityId, string toEntityId, Visibility? visibility = null, int maxHops = 6)
    {
        if (!TryVisibleEntity(fromEntityId, visibility, out var from) || !TryVisibleEntity(toEntityId, visibility, out var to))
        {
            return null;
        }

        if (from == to)
        {
            return new GraphPath([_entities[from].Id], [], 0);
        }

        IBidirectionalGraph<int, TaggedEdge<int, int>> graph = visibility is null
            ? _graph.Value
            : new FilteredBidirectionalGraph<int, TaggedEdge<int, int>, IBidirectionalGraph<int, TaggedEdge<int, int>>>(
                _graph.Value, v => visibility.Entities[v], edge => visibility.Relations[edge.Tag]);
        var dijkstra = new DijkstraShortestPathAlgorithm<int, TaggedEdge<int, int>>(graph, edge => Cost(edge.Tag, visibility));
        var predecessors = new Dictionary<int, TaggedEdge<int, int>>();
        dijkstra.TreeEdge += edge => predecessors[edge.Target] = edge;
        var examined = 0;
        dijkstra.ExamineVertex += vertex =>
        {
            if (vertex == to || ++examined > 200_000)
            {
                dijkstra.Abort();
            }
        };
        dijkstra.Compute(from);
        if (!predecessors.ContainsKey(to))
        {
            return null;
        }

        var entities = new List<string> { _entities[to].Id };
        var relations = new List<string>();
        var cost = 0.0;
        for (var v = to; v != from;)
        {
            var edge = predecessors[v];
            relations.Add(_relations[edge.Tag].Id);
            cost += Cost(edge.Tag, visibility);
            v = edge.Source;
            entities.Add(_entities[v].Id);
            if (relations.Count > _entities.Length)
            {
                throw new InvalidOperationException("Path reconstruction did not terminate.");
            }
        }

        entities.Reverse();
        relations.Reverse();
        return relations.Count > maxHops ? null : new GraphPath(entities, relations, cost);
    }

    /// <summary>
    /// A path with the fewest relations between two entities (at most <paramref name="maxHops"/>), found by
    /// bidirectional breadth-first search over visible relations; among equally short paths, labelled and
    /// better-supported relations win. Bounded by <paramref name="maxVisited"/>, so it stays fast around hubs.
    /// </summary>
    public GraphPath? FindPath(string fromEntityId, string toEntityId, Visibility? visibility = null, int maxHops = 4, int maxVisited = 20_000)
    {
        if (!TryVisibleEntity(fromEntityId, visibility, out var from) || !TryVisibleEntity(toEntityId, visibility, out var to))
        {
            return null;
        }

        if (from == to)
        {
            return new GraphPath([_entities[from].Id], [], 0);
        }

        // parent[node] = (previous node, relation) on the side that reached it.
        var forward = new Dictionary<int, (int Node, int Relation)> { [from] = (-1, -1) };
        var backward = new Dictionary<int, (int Node, int Relation)> { [to] = (-1, -1) };
        var forwardFrontier = new List<int> { from };
        var backwardFrontier = new List<int> { to };
        for (var hops = 0; hops < maxHops && forwardFrontier.Count > 0 && backwardFrontier.Count > 0; hops++)
        {
            var expandForward = forwardFrontier.Count <= backwardFrontier.Count;
            var (frontier, parents, others) = expandForward ? (forwardFrontier, forward, backward) : (backwardFrontier, backward, forward);
            var next = new List<int>();
            var meetings = new List<(int Node, int Previous, int Relation)>();
            foreach (var node in frontier)
            {
                // Labelled and stronger relations first, so ties resolve towards them.
                foreach (var r in RelationsOf(node, visibility))
                {
                    if (!RelationVisible(r, visibility))
                    {
                        continue;
                    }

                    var edge = _relations[r];
                    var other = edge.Source == node ? edge.Target : edge.Source;
                    if (others.ContainsKey(other))
                    {
                        meetings.Add((other, node, r));
                    }

                    if (parents.TryAdd(other, (node, r)))
                    {
                        next.Add(other);
                    }
                }
            }

            if (meetings.Count > 0)
            {
                return meetings
                    .Select(m => Join(forward, backward, m, expandForward, visibility))
                    .OrderBy(p => p.Cost)
                    .ThenBy(p => string.Join(' ', p.RelationIds), StringComparer.Ordinal)
                    .First();
            }

            if (forward.Count + backward.Count > maxVisited)
            {
                return null;
            }

            if (expandForward)
            {
                forwardFrontier = next;
            }
            else
            {
                backwardFrontier = next;
            }
        }

        return null;
    }

    private GraphPath Join(
        Dictionary<int, (int Node, int Relation)> forward,
        Dictionary<int, (int Node, int Relation)> backward,
        (int Node, int Previous, int Relation) meeting,
        bool expandedForward,
        Visibility? visibility)
    {
        // Walk back to the start on the forward side, and on to the end on the backward side.
        var (forwardEnd, backwardStart) = expandedForward ? (meeting.Previous, meeting.Node) : (meeting.Node, meeting.Previous);
        var entities = new List<int>();
        var relations = new List<int>();
        for (var n = forwardEnd; n != -1; n = forward[n].Node)
        {
            entities.Add(n);
            if (forward[n].Relation >= 0)
            {
                relations.Add(forward[n].Relation);
            }
        }

        entities.Reverse();
        relations.Reverse();
        relations.Add(meeting.Relation);
        for (var n = backwardStart; n != -1; n = backward[n].Node)
        {
            entities.Add(n);
            if (backward[n].Relation >= 0)
            {
                relations.Add(backward[n].Relation);
            }
        }

        return new GraphPath(
            entities.Select(e => _entities[e].Id).ToList(),
            relations.Select(r => _relations[r].Id).ToList(),
            relations.Sum(r => Cost(r, visibility)));
    }

    /// <summary>
    /// Personalised PageRank over the entity–chunk graph (HippoRAG's idea): probability mass starts at the seeds,
    /// spreads along mentions and relations, and returns to the seeds with probability <paramref name="restart"/>.
    /// Computed by local push (Andersen–Chung–Lang), so the work depends on the seeds' neighbourhood, not the graph's
    /// size. Co-occurrence edges count <paramref name="coOccurrenceFactor"/> as much as labelled relations.
    /// </summary>
    public PageRankScores PersonalizedPageRank(
        IReadOnlyDictionary<string, double> entitySeeds,
        IReadOnlyDictionary<string, double>? chunkSeeds = null,
        Visibility? visibility = null,
        double restart = 0.5,
        double tolerance = 1e-5,
        double coOccurrenceFactor = 0.5)
    {
        ArgumentNullException.ThrowIfNull(entitySeeds);
        if (visibility is not null && !ReferenceEquals(visibility.Snapshot, this))
        {
            throw new ArgumentException("The visibility mask belongs to another snapshot.", nameof(visibility));
        }

        var chunkOffset = _entities.Length;
        var residual = new Dictionary<int, double>();
        var total = 0.0;
        foreach (var (id, weight) in entitySeeds)
        {
            if (weight > 0 && TryVisibleEntity(id, visibility, out var e))
            {
                residual[e] = residual.GetValueOrDefault(e) + weight;
                total += weight;
            }
        }

        foreach (var (id, weight) in chunkSeeds ?? new Dictionary<string, double>())
        {
            if (weight > 0 && _chunkIndex.TryGetValue(id, out var c) && (visibility is null || visibility.Chunks[c]))
            {
                residual[chunkOffset + c] = residual.GetValueOrDefault(chunkOffset + c) + weight;
                total += weight;
            }
        }

        if (total <= 0)
        {
            return new PageRankScores(new Dictionary<string, double>(), new Dictionary<string, double>());
        }

        foreach (var key in residual.Keys.ToList())
        {
            residual[key] /= total;
        }

        var rank = new Dictionary<int, double>();
        var degrees = new Dictionary<int, int>();
        var queue = new Queue<int>(residual.Keys.Order());
        var queued = new HashSet<int>(queue);
        var pushes = 0;
        while (queue.Count > 0 && pushes < 100_000)
        {
            var u = queue.Dequeue();
            queued.Remove(u);
            var mass = residual.GetValueOrDefault(u);
            if (mass <= tolerance)
            {
                continue;
            }

            pushes++;
            residual[u] = 0;
            rank[u] = rank.GetValueOrDefault(u) + (restart * mass);
            var edges = WalkEdges(u, chunkOffset, visibility);
            var sum = 0.0;
            foreach (var i in edges)
            {
                sum += EdgeWeight(i, chunkOffset, visibility, coOccurrenceFactor);
            }

            if (sum <= 0)
            {
                // A dead end keeps its mass rather than leaking it.
                rank[u] += (1 - restart) * mass;
                continue;
            }

            var spread = (1 - restart) * mass / sum;
            foreach (var i in edges)
            {
                var w = EdgeWeight(i, chunkOffset, visibility, coOccurrenceFactor);
                if (w <= 0)
                {
                    continue;
                }

                var v = _walkTargets[i];
                var added = residual.GetValueOrDefault(v) + (spread * w);
                residual[v] = added;
                // Push a node once its residual is large for its degree: hubs absorb mass without flooding the queue.
                if (added > tolerance * Math.Max(1, Degree(v, chunkOffset, visibility, degrees)) && queued.Add(v))
                {
                    queue.Enqueue(v);
                }
            }
        }

        var entityScores = new Dictionary<string, double>(StringComparer.Ordinal);
        var chunkScores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (node, score) in rank)
        {
            if (node < chunkOffset)
            {
                entityScores[_entities[node].Id] = score;
            }
            else
            {
                chunkScores[_chunkIds[node - chunkOffset]] = score;
            }
        }

        return new PageRankScores(entityScores, chunkScores);
    }

    /// <summary>The chunks that mention an entity (visible ones only), with mention counts.</summary>
    public IReadOnlyList<(string ChunkId, string DocumentId, int Mentions)> ChunksOf(string entityId, Visibility? visibility = null)
    {
        if (!TryVisibleEntity(entityId, visibility, out var e))
        {
            return [];
        }

        return _entityChunks[e]
            .Where(m => visibility is null || visibility.Chunks[m.Chunk])
            .Select(m => (_chunkIds[m.Chunk], _chunkDocuments[m.Chunk], (int)m.Weight))
            .ToList();
    }

    /// <summary>The entities a chunk mentions.</summary>
    public IReadOnlyList<EntityNode> EntitiesIn(string chunkId, Visibility? visibility = null)
    {
        if (!_chunkIndex.TryGetValue(chunkId, out var c) || (visibility is not null && !visibility.Chunks[c]))
        {
            return [];
        }

        return _chunkEntities[c].Select(m => Node(m.Entity, visibility)).ToList();
    }

    /// <summary>True when the chunk is in this snapshot and the caller may read it (always, without a mask).</summary>
    public bool IsChunkVisible(string chunkId, Visibility? visibility = null) =>
        _chunkIndex.TryGetValue(chunkId, out var c) && (visibility is null || visibility.Chunks[c]);

    /// <summary>Ids of the entities the chunks of a document mention.</summary>
    public IEnumerable<string> EntitiesInDocument(string documentId)
    {
        for (var c = 0; c < _chunkDocuments.Length; c++)
        {
            if (_chunkDocuments[c] == documentId)
            {
                foreach (var (e, _) in _chunkEntities[c])
                {
                    yield return _entities[e].Id;
                }
            }
        }
    }

    /// <summary>The document a chunk belongs to, or null for an unknown chunk.</summary>
    public string? DocumentOf(string chunkId) => _chunkIndex.TryGetValue(chunkId, out var c) ? _chunkDocuments[c] : null;

    /// <summary>How many chunks mention the entity: a hub mentioned everywhere says little about any one chunk.</summary>
    public int ChunkFrequency(string entityId, Visibility? visibility = null)
    {
        CheckMask(visibility);
        if (!_entityIndex.TryGetValue(entityId, out var e))
        {
            return 0;
        }

        return visibility is null ? _entityChunks[e].Length : _entityChunks[e].Count(m => visibility.Chunks[m.Chunk]);
    }

    /// <summary>Chunks the caller may read (all of them without a mask): the corpus size for specificity weights.</summary>
    public int VisibleChunkCount(Visibility? visibility = null)
    {
        CheckMask(visibility);
        return visibility?.ChunkCount ?? _chunkIds.Length;
    }

    /// <summary>
    /// An entity's relations in traversal order: labelled before co-occurrence, strongest first, then by id. Under a
    /// mask only visible relations, ordered by the weight their visible evidence gives them, so the order (and every
    /// cap and tie that follows it) is what a store holding only the readable documents would have.
    /// </summary>
    private int[] RelationsOf(int e, Visibility? visibility)
    {
        if (visibility is null)
        {
            return _entityRelations[e];
        }

        return visibility.Orders[e] ??= _entityRelations[e]
            .Where(r => visibility.Relations[r])
            .OrderByDescending(r => _relations[r].Label != RelationLabels.CoOccurs)
            .ThenByDescending(r => visibility.RelationWeights[r])
            .ThenBy(r => _relations[r].Id, StringComparer.Ordinal)
            .ToArray();
    }

    private double WeightOf(int relation, Visibility? visibility) =>
        visibility is null ? _relations[relation].Weight : visibility.RelationWeights[relation];

    private double Cost(int relation, Visibility? visibility) =>
        EdgeCost(_relations[relation].Label, WeightOf(relation, visibility));

    /// <summary>
    /// Each document's vote (a type or a name) for the entities whose documents disagree, located by one chunk of the
    /// document; entities voted alike everywhere are left out, their stored value being every caller's.
    /// </summary>
    private Dictionary<int, (int Chunk, string Type, int Mentions)[]> DisputedVotes(
        IReadOnlyList<(string EntityId, string DocumentId, string Type, int Mentions)>? votes)
    {
        var result = new Dictionary<int, (int Chunk, string Type, int Mentions)[]>();
        if (votes is null || votes.Count == 0)
        {
            return result;
        }

        var documentChunks = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < _chunkDocuments.Length; c++)
        {
            documentChunks.TryAdd(_chunkDocuments[c], c);
        }

        foreach (var group in votes.GroupBy(v => v.EntityId, StringComparer.Ordinal))
        {
            if (!_entityIndex.TryGetValue(group.Key, out var e))
            {
                continue;
            }

            var list = group
                .Where(v => documentChunks.ContainsKey(v.DocumentId))
                .Select(v => (documentChunks[v.DocumentId], v.Type, v.Mentions))
                .ToArray();
            if (list.Select(v => v.Type).Distinct(StringComparer.Ordinal).Skip(1).Any())
            {
                result[e] = list;
            }
        }

        return result;
    }

    /// <summary>
    /// The entity's type as the caller may see it: the stored type without a mask, else the store's vote (the most
    /// used type other than Other: most documents, then most mentions, then ordinal) over readable documents only.
    /// </summary>
    private string TypeOf(int e, Visibility? visibility)
    {
        if (visibility is null || !_typeVotes.TryGetValue(e, out var votes))
        {
            return _entities[e].Type;
        }

        return visibility.Types[e] ??= TypeVote(votes, visibility.Chunks);
    }

    /// <summary>
    /// The entity's name as the caller may see it: the store's vote (the name most documents use, then most mentions,
    /// then the longest, then ordinal) over readable documents only — the stored name when every document names it alike.
    /// </summary>
    private string VisibleName(int e, Visibility visibility)
    {
        if (!_nameVotes.TryGetValue(e, out var votes))
        {
            return _entities[e].Name;
        }

        return visibility.Names[e] ??= NameVote(votes, visibility.Chunks) ?? VisibleForms(e, visibility, out _, out _, out _)[0].Text;
    }

    private static string? NameVote((int Chunk, string Name, int Mentions)[] votes, bool[] chunks)
    {
        var tally = Tally(votes, chunks);
        return tally.Count == 0
            ? null
            : tally.OrderByDescending(p => p.Value.Documents)
                .ThenByDescending(p => p.Value.Mentions)
                .ThenByDescending(p => p.Key.Length)
                .ThenBy(p => p.Key, StringComparer.Ordinal)
                .First().Key;
    }

    /// <summary>Readable documents and mentions per value: each vote is one document's, located by one of its chunks.</summary>
    private static Dictionary<string, (int Documents, int Mentions)> Tally((int Chunk, string Value, int Mentions)[] votes, bool[] chunks)
    {
        var tally = new Dictionary<string, (int Documents, int Mentions)>(StringComparer.Ordinal);
        foreach (var (c, value, mentions) in votes)
        {
            if (chunks[c])
            {
                var (documents, total) = tally.GetValueOrDefault(value);
                tally[value] = (documents + 1, total + mentions);
            }
        }

        return tally;
    }

    private static string TypeVote((int Chunk, string Type, int Mentions)[] votes, bool[] chunks)
    {
        var tally = Tally(votes, chunks);

        // Only an invisible entity has no readable vote, and it is never shown.
        return tally.Count == 0
            ? EntityTypes.Other
            : tally.OrderByDescending(p => p.Key != EntityTypes.Other)
                .ThenByDescending(p => p.Value.Documents)
                .ThenByDescending(p => p.Value.Mentions)
                .ThenBy(p => p.Key, StringComparer.Ordinal)
                .First().Key;
    }

    /// <summary>The node with the type the caller sees (the stored node without a mask or a disputed type).</summary>
    private EntityNode Node(int e, Visibility? visibility)
    {
        var node = _entities[e];
        var type = TypeOf(e, visibility);
        return ReferenceEquals(type, node.Type) || type == node.Type ? node : node with { Type = type };
    }

    /// <summary>The weight a relation has from the evidence chunks the mask shows; the stored weight when it shows all.</summary>
    private static double VisibleWeight(RelationEdge edge, bool[] chunks)
    {
        if (edge.EvidenceChunks.All(c => chunks[c]))
        {
            return edge.Weight;
        }

        if (edge.EvidenceWeights is null)
        {
            return edge.Weight * edge.EvidenceChunks.Count(c => chunks[c]) / edge.EvidenceChunks.Length;
        }

        var sum = 0.0;
        for (var i = 0; i < edge.EvidenceChunks.Length; i++)
        {
            if (chunks[edge.EvidenceChunks[i]])
            {
                sum += edge.EvidenceWeights[i];
            }
        }

        return Math.Round(sum, 9);
    }

    /// <summary>
    /// The walk edges of a node: the stored rows without a mask; under one, mentions of visible chunks and entities
    /// followed by visible relations in the caller's order, as a store of only the readable documents lays them out.
    /// </summary>
    private IEnumerable<int> WalkEdges(int node, int chunkOffset, Visibility? visibility)
    {
        var from = _walkOffsets[node];
        var to = _walkOffsets[node + 1];
        if (visibility is null || node >= chunkOffset)
        {
            return Enumerable.Range(from, to - from);
        }

        var edges = new List<int>(to - from);
        var byRelation = new Dictionary<int, int>();
        for (var i = from; i < to; i++)
        {
            if (_walkRelations[i] < 0)
            {
                edges.Add(i);
            }
            else
            {
                byRelation[_walkRelations[i]] = i;
            }
        }

        foreach (var r in RelationsOf(node, visibility))
        {
            edges.Add(byRelation[r]);
        }

        return edges;
    }

    /// <summary>A node's degree in the walk graph the caller sees (all edges without a mask).</summary>
    private int Degree(int node, int chunkOffset, Visibility? visibility, Dictionary<int, int> cache)
    {
        if (visibility is null)
        {
            return _walkOffsets[node + 1] - _walkOffsets[node];
        }

        if (!cache.TryGetValue(node, out var degree))
        {
            for (var i = _walkOffsets[node]; i < _walkOffsets[node + 1]; i++)
            {
                var relation = _walkRelations[i];
                var target = _walkTargets[i];
                var visible = relation >= 0
                    ? visibility.Relations[relation]
                    : target >= chunkOffset ? visibility.Chunks[target - chunkOffset] : visibility.Entities[target];
                degree += visible ? 1 : 0;
            }

            cache[node] = degree;
        }

        return degree;
    }

    internal static double EdgeCost(RelationEdge edge) => EdgeCost(edge.Label, edge.Weight);

    private static double EdgeCost(string label, double weight) =>
        (label == RelationLabels.CoOccurs ? 1.0 : 0.5) / (1 + Math.Log(1 + weight));

    private double EdgeWeight(int edge, int chunkOffset, Visibility? visibility, double coOccurrenceFactor)
    {
        var relation = _walkRelations[edge];
        if (relation >= 0)
        {
            if (!RelationVisible(relation, visibility))
            {
                return 0;
            }

            // The walk weight is log(1 + weight) of the weight the caller can see (stored as float, as the walk graph is).
            var weight = visibility is null ? _walkWeights[edge] : (float)Math.Log(1 + visibility.RelationWeights[relation]);
            return weight * (_relations[relation].Label == RelationLabels.CoOccurs ? coOccurrenceFactor : 1.0);
        }

        if (visibility is null)
        {
            return _walkWeights[edge];
        }

        var target = _walkTargets[edge];
        return (target >= chunkOffset ? visibility.Chunks[target - chunkOffset] : visibility.Entities[target]) ? _walkWeights[edge] : 0;
    }

    private BidirectionalGraph<int, TaggedEdge<int, int>> BuildAdjacency()
    {
        var graph = new BidirectionalGraph<int, TaggedEdge<int, int>>(allowParallelEdges: true, _entities.Length);
        graph.AddVertexRange(Enumerable.Range(0, _entities.Length));
        for (var r = 0; r < _relations.Length; r++)
        {
            // Relations are traversed both ways; the tag points back at the relation.
            graph.AddEdge(new TaggedEdge<int, int>(_relations[r].Source, _relations[r].Target, r));
            graph.AddEdge(new TaggedEdge<int, int>(_relations[r].Target, _relations[r].Source, r));
        }

        return graph;
    }

    private (int[] Offsets, int[] Targets, float[] Weights, int[] Relations) BuildWalkGraph()
    {
        var nodes = _entities.Length + _chunkIds.Length;
        var offsets = new int[nodes + 1];
        var targets = new List<int>();
        var weights = new List<float>();
        var relations = new List<int>();
        for (var e = 0; e < _entities.Length; e++)
        {
            offsets[e] = targets.Count;
            foreach (var (c, w) in _entityChunks[e])
            {
                targets.Add(_entities.Length + c);
                weights.Add(w);
                relations.Add(-1);
            }

            foreach (var r in _entityRelations[e])
            {
                var edge = _relations[r];
                targets.Add(edge.Source == e ? edge.Target : edge.Source);
                weights.Add((float)Math.Log(1 + edge.Weight));
                relations.Add(r);
            }
        }

        for (var c = 0; c < _chunkIds.Length; c++)
        {
            offsets[_entities.Length + c] = targets.Count;
            foreach (var (e, w) in _chunkEntities[c])
            {
                targets.Add(e);
                weights.Add(w);
                relations.Add(-1);
            }
        }

        offsets[nodes] = targets.Count;
        return (offsets, [.. targets], [.. weights], [.. relations]);
    }

    private bool TryVisibleEntity(string entityId, Visibility? visibility, out int index)
    {
        if (visibility is not null && !ReferenceEquals(visibility.Snapshot, this))
        {
            throw new ArgumentException("The visibility mask belongs to another snapshot.", nameof(visibility));
        }

        return _entityIndex.TryGetValue(entityId, out index) && (visibility is null || visibility.Entities[index]);
    }

    private static bool RelationVisible(int relation, Visibility? visibility) => visibility is null || visibility.Relations[relation];

    /// <param name="EvidenceWeights">Each evidence chunk's share of <paramref name="Weight"/>, aligned with the chunks; null when unknown.</param>
    internal sealed record RelationEdge(string Id, int Source, int Target, string Label, double Weight, int[] EvidenceChunks, double[]? EvidenceWeights);
}

/// <summary>An entity as the snapshot holds it.</summary>
public sealed record EntityNode(string Id, string Key, string Name, string Type);

/// <summary>What one caller may see of a snapshot: readable chunks, and the entities and relations they support.</summary>
public sealed class Visibility
{
    internal Visibility(GraphSnapshot snapshot, bool[] chunks, bool[] entities, bool[] relations, double[] relationWeights, int chunkCount)
    {
        Snapshot = snapshot;
        Chunks = chunks;
        Entities = entities;
        Relations = relations;
        RelationWeights = relationWeights;
        ChunkCount = chunkCount;
        Orders = new int[]?[entities.Length];
        Types = new string?[entities.Length];
        Names = new string?[entities.Length];
    }

    public GraphSnapshot Snapshot { get; }

    internal bool[] Chunks { get; }

    internal bool[] Entities { get; }

    internal bool[] Relations { get; }

    /// <summary>Each visible relation's weight from its visible evidence alone (0 for a hidden one).</summary>
    internal double[] RelationWeights { get; }

    /// <summary>Visible chunks.</summary>
    internal int ChunkCount { get; }

    /// <summary>Per entity, its visible relations in traversal order; filled on first use (idempotent, so races are harmless).</summary>
    internal int[]?[] Orders { get; }

    /// <summary>Per entity with a disputed type, its type by readable votes; filled on first use (idempotent).</summary>
    internal string?[] Types { get; }

    /// <summary>Names settled under this mask, per entity, filled on first use.</summary>
    internal string?[] Names { get; }

    /// <summary>The surface keys this mask can use, sorted; filled on the first prefix search (idempotent).</summary>
    internal string[]? SortedKeys { get; set; }
}

/// <summary>An entity as one caller sees it: names and counts from the mentions it may read.</summary>
/// <param name="Name">The most frequent visible surface form (the stored name for an unscoped caller).</param>
/// <param name="Aliases">The other visible surface forms, distinct ignoring case, most frequent first.</param>
/// <param name="Mentions">Visible mentions.</param>
/// <param name="Chunks">Visible chunks that mention it.</param>
/// <param name="Documents">Readable documents that mention it.</param>
public sealed record EntityLabel(string Id, string Name, string Type, IReadOnlyList<string> Aliases, int Mentions, int Chunks, int Documents);

public sealed record Neighbour(EntityNode Entity, string RelationId, string Label, double Weight, bool Outgoing);

public sealed record SubgraphNode(EntityNode Entity, int Depth);

public sealed record SubgraphEdge(string RelationId, string SourceId, string TargetId, string Label, double Weight);

public sealed record Subgraph(IReadOnlyList<SubgraphNode> Nodes, IReadOnlyList<SubgraphEdge> Edges);

/// <summary>A chain entity → relation → entity …; <c>EntityIds.Count == RelationIds.Count + 1</c>.</summary>
public sealed record GraphPath(IReadOnlyList<string> EntityIds, IReadOnlyList<string> RelationIds, double Cost);

public sealed record PageRankScores(IReadOnlyDictionary<string, double> Entities, IReadOnlyDictionary<string, double> Chunks);
