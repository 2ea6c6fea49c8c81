using GraphRag.Graph.Model;

namespace GraphRag.Graph.Traversal;

/// <summary>Looking entities up by name, and naming and typing them as one caller may see them.</summary>
public sealed partial class GraphSnapshot
{
    /// <summary>
    /// Entities mentioned somewhere by a surface form with this normalised key (see <see cref="EntityKey"/>), with
    /// the number of visible chunks that use that form. Only visible mentions count, so an alias seen only in an
    /// unreadable document links nothing.
    /// </summary>
    public IReadOnlyList<(EntityNode Entity, int Chunks)> LookupKey(string key, Visibility? visibility = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        CheckMask(visibility);
        return Aggregate(HitsOf(key), visibility);
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

        IEnumerable<string> keys;
        if (visibility is null)
        {
            keys = Tables.Keys.WithPrefix(keyPrefix, key => HitsOf(key).Any(h => Usable(h, null)), maxKeys);
        }
        else
        {
            var sorted = visibility.SortedKeys ??= Tables.Keys.All(key => HitsOf(key).Any(h => Usable(h, visibility)));
            var at = Array.BinarySearch(sorted, keyPrefix, StringComparer.Ordinal);
            at = at < 0 ? ~at : at;
            var found = new List<string>();
            for (var i = at; i < sorted.Length && found.Count < maxKeys && sorted[i].StartsWith(keyPrefix, StringComparison.Ordinal); i++)
            {
                found.Add(sorted[i]);
            }

            keys = found;
        }

        return Aggregate(keys.SelectMany(HitsOf), visibility);
    }

    /// <summary>
    /// How an entity appears to a caller: named by the surface forms of its visible mentions only. Null when the
    /// entity is absent or has no visible mention — the two look the same. Without a mask the name is the stored one.
    /// </summary>
    public EntityLabel? Describe(string entityId, Visibility? visibility = null) =>
        TryVisibleEntity(entityId, visibility, out var entity) ? Describe(entity, visibility) : null;

    /// <summary>
    /// The entity's name as the caller may see it: the stored name without a mask, else the vote of its readable
    /// documents. Null when absent or invisible.
    /// </summary>
    public string? NameOf(string entityId, Visibility? visibility = null) =>
        TryVisibleEntity(entityId, visibility, out var entity) ? (visibility is null ? entity.Name : VisibleName(entity, visibility)) : null;

    /// <summary>
    /// The node as the caller may see it: the stored node without a mask, else one whose name and key come from
    /// visible mentions only. Null when absent or invisible.
    /// </summary>
    public EntityNode? VisibleNode(string entityId, Visibility? visibility = null)
    {
        if (!TryVisibleEntity(entityId, visibility, out var entity))
        {
            return null;
        }

        if (visibility is null)
        {
            return entity.Node;
        }

        var name = VisibleName(entity, visibility);
        var node = Node(entity.Index, visibility);
        return name == entity.Name ? node : node with { Name = name, Key = EntityKey.Normalize(name) };
    }

    /// <summary>
    /// The most mentioned entities the caller can see (visible mentions only), optionally of one type, most mentioned
    /// first, then by id.
    /// </summary>
    public IReadOnlyList<EntityLabel> TopEntities(string? type, int limit, Visibility? visibility = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        CheckMask(visibility);
        var counted = new List<(EntityState Entity, int Mentions)>();
        foreach (var entity in _entities)
        {
            if (entity is null || (visibility is not null && !visibility.Entities[entity.Index]) || (type is not null && TypeOf(entity, visibility) != type))
            {
                continue;
            }

            var mentions = 0;
            foreach (var (c, count) in entity.Chunks)
            {
                if (visibility is null || visibility.Chunks[c])
                {
                    mentions += count;
                }
            }

            if (mentions > 0)
            {
                counted.Add((entity, mentions));
            }
        }

        return counted
            .OrderByDescending(p => p.Mentions)
            .ThenBy(p => p.Entity.Id, StringComparer.Ordinal)
            .Take(limit)
            .Select(p => Describe(p.Entity, visibility))
            .ToList();
    }

    /// <summary>
    /// The entity's type as the caller may see it: the stored type without a mask, else the store's type vote
    /// (<see cref="EntityTypes.Other"/> last, then most documents, most mentions, ordinal) counted over readable
    /// documents only, so it is what a store holding only those documents would hold. Null when absent or invisible.
    /// </summary>
    public string? TypeOf(string entityId, Visibility? visibility = null) =>
        TryVisibleEntity(entityId, visibility, out var entity) ? TypeOf(entity, visibility) : null;

    /// <summary>The keys' hits of every entity that has used the key and still does in this snapshot.</summary>
    private IEnumerable<(EntityState Entity, KeyHit Hit)> HitsOf(string key)
    {
        foreach (var e in Tables.Keys.Candidates(key))
        {
            if (e >= _entities.Length || _entities[e] is not { } entity)
            {
                continue;
            }

            foreach (var hits in entity.Keys)
            {
                if (hits.Key == key)
                {
                    foreach (var hit in hits.Hits)
                    {
                        yield return (entity, hit);
                    }
                }
            }
        }
    }

    /// <summary>Whether a key's hit counts for this caller: its use, its chunk's visibility and, for some, the type it sees.</summary>
    private bool Usable((EntityState Entity, KeyHit Hit) hit, Visibility? visibility) =>
        visibility is null
            ? (hit.Hit.Use & SurfaceKeys.AdminUse) != 0
            : (hit.Hit.Use & SurfaceKeys.ScopedUse) != 0 && visibility.Chunks[hit.Hit.Chunk]
                && ((hit.Hit.Use & SurfaceKeys.PersonOnly) == 0 || TypeOf(hit.Entity, visibility) == EntityTypes.Person);

    private List<(EntityNode, int)> Aggregate(IEnumerable<(EntityState Entity, KeyHit Hit)> hits, Visibility? visibility) =>
        hits.Where(h => Usable(h, visibility))
            .GroupBy(h => h.Entity.Index)
            .Select(g => (Node(g.Key, visibility), g.Select(h => h.Hit.Chunk).Distinct().Count()))
            .OrderByDescending(p => p.Item2)
            .ThenBy(p => p.Item1.Id, StringComparer.Ordinal)
            .ToList();

    private EntityLabel Describe(EntityState entity, Visibility? visibility)
    {
        var forms = VisibleForms(entity, visibility, out var mentions, out var chunks, out var documents);
        var name = visibility is null ? entity.Name : VisibleName(entity, visibility);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { name };
        var aliases = forms.Select(f => f.Text).Where(seen.Add).ToList();
        return new EntityLabel(entity.Id, name, TypeOf(entity, visibility), aliases, mentions, chunks, documents);
    }

    /// <summary>
    /// The entity's distinct visible surface texts, most frequent first; on a tie the longer (a full name over the
    /// surname that refers back to it, as the store's own name vote prefers), then ordinal.
    /// </summary>
    private List<(string Text, int Count)> VisibleForms(EntityState entity, Visibility? visibility, out int mentions, out int chunks, out int documents)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var documentSet = new HashSet<int>();
        mentions = 0;
        chunks = 0;
        var last = -1;
        foreach (var surface in entity.Surfaces)
        {
            if (visibility is not null && !visibility.Chunks[surface.Chunk])
            {
                continue;
            }

            counts[surface.Text] = counts.GetValueOrDefault(surface.Text) + surface.Count;
            mentions += surface.Count;
            if (surface.Chunk != last)
            {
                chunks++;
                documentSet.Add(_chunks[surface.Chunk]!.Document);
                last = surface.Chunk;
            }
        }

        documents = documentSet.Count;
        return counts
            .Select(p => (p.Key, p.Value))
            .OrderByDescending(p => p.Value)
            .ThenByDescending(p => p.Key.Length)
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The entity's type as the caller may see it: the stored type without a mask, else the vote over readable
    /// documents only.
    /// </summary>
    private static string TypeOf(EntityState entity, Visibility? visibility)
    {
        if (visibility is null || !entity.TypeDisputed)
        {
            return entity.Type;
        }

        // Only an invisible entity has no readable vote, and it is never shown.
        return visibility.Types[entity.Index] ??=
            EntityVote.Type(EntityVote.Tally(entity.Votes.Where(v => visibility.Documents[v.Document]).Select(v => (v.Type, v.Mentions))))
            ?? EntityTypes.Other;
    }

    /// <summary>
    /// The entity's name as the caller may see it: the vote over readable documents only — the stored name when every
    /// document names it alike.
    /// </summary>
    private string VisibleName(EntityState entity, Visibility visibility)
    {
        if (!entity.NameDisputed)
        {
            return entity.Name;
        }

        return visibility.Names[entity.Index] ??=
            EntityVote.Name(EntityVote.Tally(entity.Votes.Where(v => visibility.Documents[v.Document]).Select(v => (v.Name, v.Mentions))))
            ?? VisibleForms(entity, visibility, out _, out _, out _)[0].Text;
    }

    /// <summary>The node with the type the caller sees (the stored node without a mask or a disputed type).</summary>
    private EntityNode Node(int e, Visibility? visibility)
    {
        var entity = _entities[e]!;
        var type = TypeOf(entity, visibility);
        return type == entity.Type ? entity.Node : entity.Node with { Type = type };
    }
}
