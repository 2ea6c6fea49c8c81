using GraphRag.Graph.Model;
using GraphRag.Graph.Rows;

namespace GraphRag.Graph.Traversal;

/// <summary>
/// Makes the next snapshot from the previous one and a change: documents removed and documents (re)added, as rows.
/// Only what the change touches is rebuilt — the chunks of the documents, the entities and relations they mention —
/// and everything else is shared with the previous snapshot, so a write costs in proportion to its own size rather
/// than the store's. A load is the same operation from an empty snapshot. Results never depend on the order documents
/// arrived in: every list is kept in id order, and names and types come from <see cref="EntityVote"/>.
/// </summary>
internal static class SnapshotBuilder
{
    public static GraphSnapshot Apply(GraphSnapshot previous, long generation, IEnumerable<string> removed, IReadOnlyList<DocumentRows> added)
    {
        // A document written twice in one change counts once, as its last version (the store keeps that one).
        added = added.GroupBy(r => r.DocumentId, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        var tables = previous.Tables;
        var strings = tables.Strings;
        // Slots first, so the arrays are sized once; each id is looked up here only, and the additions below read the
        // slots back by position.
        var slots = new RowSlots[added.Count];
        for (var i = 0; i < added.Count; i++)
        {
            slots[i] = RowSlots.Of(added[i], tables);
        }

        var entities = Grow(previous.EntityStates, tables.Entities.Count);
        var chunks = Grow(previous.ChunkStates, tables.Chunks.Count);
        var documents = Grow(previous.DocumentStates, tables.Documents.Count);
        var relations = Grow(previous.RelationStates, tables.Relations.Count);

        var liveChunks = previous.LiveChunkCount;

        // Removals: every document removed or written again leaves its chunks and contributions behind.
        var goneChunks = new HashSet<int>();
        var goneDocuments = new HashSet<int>();
        var touchedEntities = new HashSet<int>();
        var touchedRelations = new HashSet<int>();
        foreach (var id in removed.Concat(added.Select(r => r.DocumentId)))
        {
            if (tables.Documents.TryGet(id, out var d) && documents[d] is { } state)
            {
                goneDocuments.Add(d);
                documents[d] = null;
                foreach (var c in state.Chunks)
                {
                    goneChunks.Add(c);
                    chunks[c] = null;
                    liveChunks--;
                }

                touchedEntities.UnionWith(state.Entities);
                touchedRelations.UnionWith(state.Relations);
            }
        }

        // Additions, gathered per entity and relation so each is rebuilt once however many documents name it.
        // Sized for every row up front: a load's change of hundreds of documents would otherwise regrow them many times.
        var entityAdds = new Dictionary<int, EntityAdditions>(slots.Sum(s => s.Entities.Length));
        var relationAdds = new Dictionary<int, (EvidenceRow First, List<RelationChunk> Chunks)>(slots.Sum(s => s.Evidence.Length));
        for (var i = 0; i < added.Count; i++)
        {
            var rows = added[i];
            var slot = slots[i];
            var d = slot.Document;
            var chunkSlots = new Dictionary<string, int>(rows.Chunks.Count, StringComparer.Ordinal);
            var chunkEntities = new Dictionary<int, Dictionary<int, int>>();
            for (var j = 0; j < rows.Chunks.Count; j++)
            {
                chunkSlots[rows.Chunks[j].ChunkId] = slot.Chunks[j];
            }

            var touched = new HashSet<int>();
            for (var j = 0; j < rows.Entities.Count; j++)
            {
                var entity = rows.Entities[j];
                var e = slot.Entities[j];
                touched.Add(e);
                Additions(entityAdds, e, entity.EntityId, strings.Intern(entity.Key)).Votes.Add(
                    new DocumentVote(d, strings.Intern(entity.Name), strings.Intern(entity.Type), entity.Mentions));
            }

            for (var j = 0; j < rows.Mentions.Count; j++)
            {
                var mention = rows.Mentions[j];
                if (!chunkSlots.TryGetValue(mention.ChunkId, out var c))
                {
                    continue;
                }

                var e = slot.Mentions[j];
                touched.Add(e);
                var additions = Additions(entityAdds, e, mention.EntityId, strings.Intern(mention.SurfaceKey));
                additions.Surfaces.Add(new EntitySurface(c, strings.Intern(mention.Text), strings.Intern(mention.SurfaceKey), mention.Count));
                if (!chunkEntities.TryGetValue(c, out var counts))
                {
                    chunkEntities[c] = counts = [];
                }

                counts[e] = counts.GetValueOrDefault(e) + mention.Count;
            }

            var documentRelations = new HashSet<int>();
            for (var j = 0; j < rows.Evidence.Count; j++)
            {
                var evidence = rows.Evidence[j];
                if (!chunkSlots.TryGetValue(evidence.ChunkId, out var c))
                {
                    continue;
                }

                var r = slot.Evidence[j];
                documentRelations.Add(r);
                if (!relationAdds.TryGetValue(r, out var entry))
                {
                    relationAdds[r] = entry = (evidence, []);
                }

                entry.Chunks.Add(new RelationChunk(c, evidence.Weight));
            }

            foreach (var (chunkId, c) in chunkSlots)
            {
                var mentioned = chunkEntities.TryGetValue(c, out var counts)
                    ? counts.Select(p => new ChunkEntity(p.Key, p.Value)).ToArray()
                    : [];
                Array.Sort(mentioned, (a, b) => string.CompareOrdinal(IdOf(entities, entityAdds, a.Entity), IdOf(entities, entityAdds, b.Entity)));
                if (chunks[c] is null)
                {
                    liveChunks++;
                }

                chunks[c] = new ChunkState(c, chunkId, d, mentioned);
            }

            documents[d] = new DocumentEntry(d, rows.DocumentId, [.. chunkSlots.Values], [.. touched], [.. documentRelations]);
            touchedRelations.UnionWith(documentRelations);
        }

        touchedEntities.UnionWith(entityAdds.Keys);

        // Entities: their chunks, surfaces and votes from live documents only; gone when no live chunk mentions them.
        var rebuilt = new Dictionary<int, EntityState>();
        foreach (var e in touchedEntities)
        {
            var old = entities[e];
            entityAdds.TryGetValue(e, out var additions);
            var state = Rebuild(old, e, additions, goneChunks, goneDocuments, chunks, documents, strings);
            entities[e] = state;
            if (state is not null)
            {
                rebuilt[e] = state;
            }
        }

        // Relations: evidence from live chunks between live entities; each endpoint's list is rebuilt after.
        var endpoints = new HashSet<int>(rebuilt.Keys);
        Comparison<RelationChunk> byChunkId = (a, b) => string.CompareOrdinal(chunks[a.Chunk]!.Id, chunks[b.Chunk]!.Id);
        foreach (var r in touchedRelations)
        {
            var old = relations[r];
            // Kept evidence is already in chunk id order; only the new evidence is sorted, then the two are merged.
            var kept = new List<RelationChunk>(old is null ? 0 : old.Evidence.Length);
            List<RelationChunk> fresh = [];
            if (old is not null)
            {
                foreach (var chunk in old.Evidence)
                {
                    if (!goneChunks.Contains(chunk.Chunk))
                    {
                        kept.Add(chunk);
                    }
                }

                endpoints.Add(old.Source);
                endpoints.Add(old.Target);
            }

            int source, target;
            string label;
            if (relationAdds.TryGetValue(r, out var entry))
            {
                fresh = entry.Chunks;
                source = tables.Entities.GetOrAdd(entry.First.SourceId);
                target = tables.Entities.GetOrAdd(entry.First.TargetId);
                label = strings.Intern(entry.First.Label);
            }
            else if (old is not null)
            {
                (source, target, label) = (old.Source, old.Target, old.Label);
            }
            else
            {
                continue;
            }

            endpoints.Add(source);
            endpoints.Add(target);
            if (kept.Count + fresh.Count == 0 || source == target || entities[source] is null || entities[target] is null)
            {
                relations[r] = null;
                continue;
            }

            var ordered = Merge(kept, fresh, byChunkId);
            relations[r] = new RelationState(r, source, target, label, ordered);
        }

        // Each endpoint's relations: its unchanged ones, plus the touched ones that survive, in traversal order.
        var newRelations = relationAdds.Keys.Concat(touchedRelations).Where(r => relations[r] is not null).Distinct().ToList();
        var incident = new Dictionary<int, List<RelationState>>();
        foreach (var r in newRelations)
        {
            var relation = relations[r]!;
            Incident(incident, relation.Source).Add(relation);
            Incident(incident, relation.Target).Add(relation);
        }

        var order = TraversalOrder(tables.Relations);
        foreach (var e in endpoints)
        {
            if (entities[e] is not { } state)
            {
                continue;
            }

            // Untouched relations keep their weights, so their order holds; the touched ones are sorted and merged in.
            var list = new List<RelationState>(state.Relations.Length + 4);
            foreach (var relation in state.Relations)
            {
                if (!touchedRelations.Contains(relation.Index) && relations[relation.Index] is not null)
                {
                    list.Add(relation);
                }
            }

            var ordered = incident.TryGetValue(e, out var more) ? Merge(list, more, order) : [.. list];
            entities[e] = new EntityState(e, state.Id, state.Key, state.Name, state.Type, state.Chunks, state.Surfaces, state.Votes)
            {
                Relations = ordered,
                Keys = state.Keys,
                NameDisputed = state.NameDisputed,
                TypeDisputed = state.TypeDisputed,
            };
        }

        foreach (var state in rebuilt.Values)
        {
            foreach (var hits in state.Keys)
            {
                tables.Keys.Add(hits.Key, state.Index);
            }
        }

        // Synonym edges are keyed by entity id and checked for liveness when walked, so the last ones stay usable until remade.
        return new GraphSnapshot(generation, tables, entities.Build(), chunks.Build(), documents.Build(), relations.Build(), liveChunks) { Synonyms = previous.Synonyms };
    }

    /// <summary>Labelled before co-occurrence, stronger first, then by id.</summary>
    internal static Comparison<RelationState> TraversalOrder(IdMap relations) => (a, b) =>
    {
        var c = b.Labelled.CompareTo(a.Labelled);
        if (c == 0)
        {
            c = b.Weight.CompareTo(a.Weight);
        }

        return c != 0 ? c : relations.Compare(a.Index, b.Index);
    };

    private static EntityState? Rebuild(
        EntityState? old, int e, EntityAdditions? additions, HashSet<int> goneChunks, HashSet<int> goneDocuments,
        PagedArray<ChunkState>.Builder chunks, PagedArray<DocumentEntry>.Builder documents, StringPool strings)
    {
        // What an entity keeps is already in order; only what the change adds is sorted, then merged in.
        var surfaces = new List<EntitySurface>();
        var votes = new List<DocumentVote>();
        if (old is not null)
        {
            surfaces.AddRange(old.Surfaces.Where(s => !goneChunks.Contains(s.Chunk)));
            votes.AddRange(old.Votes.Where(v => !goneDocuments.Contains(v.Document)));
        }

        if (surfaces.Count == 0 && (additions is null || additions.Surfaces.Count == 0))
        {
            return null;
        }

        var surfaceArray = Merge(surfaces, additions?.Surfaces ?? [], (a, b) =>
        {
            var c = string.CompareOrdinal(chunks[a.Chunk]!.Id, chunks[b.Chunk]!.Id);
            return c != 0 ? c : string.CompareOrdinal(a.Text, b.Text);
        });
        var chunkCounts = new List<EntityChunk>();
        foreach (var surface in surfaceArray)
        {
            if (chunkCounts.Count > 0 && chunkCounts[^1].Chunk == surface.Chunk)
            {
                chunkCounts[^1] = chunkCounts[^1] with { Count = chunkCounts[^1].Count + surface.Count };
            }
            else
            {
                chunkCounts.Add(new EntityChunk(surface.Chunk, surface.Count));
            }
        }

        var voteArray = Merge(votes, additions?.Votes ?? [], (a, b) => string.CompareOrdinal(documents[a.Document]!.Id, documents[b.Document]!.Id));
        var id = old?.Id ?? additions!.Id;
        var key = old?.Key ?? additions!.Key;
        var names = Tally(voteArray, names: true);
        var types = Tally(voteArray, names: false);
        var name = EntityVote.Name(names) ?? surfaceArray[0].Text;
        var type = EntityVote.Type(types) ?? EntityTypes.Other;
        var typeDisputed = types.Count > 1;
        return new EntityState(e, id, key, name, type, [.. chunkCounts], surfaceArray, voteArray)
        {
            Relations = old?.Relations ?? [],
            NameDisputed = names.Count > 1,
            TypeDisputed = typeDisputed,
            Keys = SurfaceKeys.Of(name, type, typeDisputed, [.. chunkCounts], surfaceArray, voteArray, strings),
        };
    }

    /// <summary>
    /// <see cref="EntityVote.Tally"/> of the votes' names or types, in the same order (first use), without a dictionary
    /// for the few distinct values most entities have.
    /// </summary>
    private static List<(string Value, int Documents, int Mentions)> Tally(DocumentVote[] votes, bool names)
    {
        const int Linear = 16;
        if (votes.Length > Linear)
        {
            return names
                ? EntityVote.Tally(votes.Select(v => (v.Name, v.Mentions)))
                : EntityVote.Tally(votes.Select(v => (v.Type, v.Mentions)));
        }

        var tally = new List<(string Value, int Documents, int Mentions)>(Math.Min(votes.Length, 4));
        foreach (var vote in votes)
        {
            var value = names ? vote.Name : vote.Type;
            var at = -1;
            for (var i = 0; i < tally.Count; i++)
            {
                if (string.Equals(tally[i].Value, value, StringComparison.Ordinal))
                {
                    at = i;
                    break;
                }
            }

            if (at < 0)
            {
                tally.Add((value, 1, vote.Mentions));
            }
            else
            {
                tally[at] = (value, tally[at].Documents + 1, tally[at].Mentions + vote.Mentions);
            }
        }

        return tally;
    }

    private static EntityAdditions Additions(Dictionary<int, EntityAdditions> additions, int e, string id, string key)
    {
        if (!additions.TryGetValue(e, out var entry))
        {
            additions[e] = entry = new EntityAdditions(id, key);
        }

        return entry;
    }

    private static List<RelationState> Incident(Dictionary<int, List<RelationState>> incident, int e)
    {
        if (!incident.TryGetValue(e, out var list))
        {
            incident[e] = list = [];
        }

        return list;
    }

    private static string IdOf(PagedArray<EntityState>.Builder entities, Dictionary<int, EntityAdditions> additions, int e) =>
        additions.TryGetValue(e, out var entry) ? entry.Id : entities[e]?.Id ?? string.Empty;

    /// <summary>
    /// <paramref name="kept"/> (already in order) and <paramref name="added"/> (any order, sorted here) as one ordered
    /// array: a write costs the sort of what it adds plus one pass, not a sort of everything a busy entity holds.
    /// </summary>
    internal static T[] Merge<T>(List<T> kept, List<T> added, Comparison<T> order)
    {
        if (added.Count == 0)
        {
            return [.. kept];
        }

        var fresh = added.ToArray();
        Array.Sort(fresh, order);
        if (kept.Count == 0)
        {
            return fresh;
        }

        var merged = new T[kept.Count + fresh.Length];
        int i = 0, j = 0, k = 0;
        while (i < kept.Count && j < fresh.Length)
        {
            merged[k++] = order(kept[i], fresh[j]) <= 0 ? kept[i++] : fresh[j++];
        }

        while (i < kept.Count)
        {
            merged[k++] = kept[i++];
        }

        while (j < fresh.Length)
        {
            merged[k++] = fresh[j++];
        }

        return merged;
    }

    private static PagedArray<T>.Builder Grow<T>(PagedArray<T> previous, int count)
        where T : class
    {
        var next = previous.ToBuilder();
        next.Grow(count);
        return next;
    }

    /// <summary>The slots of one document's rows, position by position, in the order the ids were first looked up.</summary>
    private readonly record struct RowSlots(int Document, int[] Chunks, int[] Entities, int[] Mentions, int[] Evidence)
    {
        public static RowSlots Of(DocumentRows rows, SnapshotTables tables)
        {
            var document = tables.Documents.GetOrAdd(rows.DocumentId);
            var chunks = Slots(rows.Chunks, tables.Chunks, static r => r.ChunkId);
            var entities = Slots(rows.Entities, tables.Entities, static r => r.EntityId);
            var mentions = Slots(rows.Mentions, tables.Entities, static r => r.EntityId);
            var evidence = Slots(rows.Evidence, tables.Relations, static r => r.RelationId);
            return new RowSlots(document, chunks, entities, mentions, evidence);
        }

        /// <summary>Each row's slot in <paramref name="map"/>, by position, looked up (or added) in row order.</summary>
        private static int[] Slots<T>(IReadOnlyList<T> rows, IdMap map, Func<T, string> id)
        {
            var slots = new int[rows.Count];
            for (var i = 0; i < slots.Length; i++)
            {
                slots[i] = map.GetOrAdd(id(rows[i]));
            }

            return slots;
        }
    }

    private sealed class EntityAdditions(string id, string key)
    {
        public string Id { get; } = id;

        public string Key { get; } = key;

        public List<EntitySurface> Surfaces { get; } = [];

        public List<DocumentVote> Votes { get; } = [];
    }
}
