using GraphRag.Graph.Traversal;

namespace GraphRag.Graph.Persistence;

/// <summary>Writes a graph snapshot as it is — slots, states and keys — and reads it back without rebuilding anything.</summary>
internal static class SnapshotCodec
{
    public static void Write(IndexWriter w, GraphSnapshot snapshot)
    {
        var tables = snapshot.Tables;
        w.Long(snapshot.Generation);
        w.Int(snapshot.LiveChunkCount);
        foreach (var map in new[] { tables.Entities, tables.Chunks, tables.Documents, tables.Relations })
        {
            var count = map.Count;
            w.Int(count);
            for (var slot = 0; slot < count; slot++)
            {
                // Ids are unique: written whole, not kept in the writer's table of repeated strings.
                w.Text(map.IdOf(slot));
            }
        }

        var keys = tables.Keys.Entries().ToList();
        w.Int(keys.Count);
        foreach (var (key, entities) in keys)
        {
            w.String(key);
            w.Ints(entities);
        }

        Slots(w, snapshot.DocumentStates, document =>
        {
            w.Ints(document.Chunks);
            w.Ints(document.Entities);
            w.Ints(document.Relations);
        });
        Slots(w, snapshot.ChunkStates, chunk =>
        {
            w.Int(chunk.Document);
            w.Int(chunk.Entities.Length);
            foreach (var (entity, count) in chunk.Entities)
            {
                w.Int(entity);
                w.Int(count);
            }
        });
        Slots(w, snapshot.RelationStates, relation =>
        {
            w.Int(relation.Source);
            w.Int(relation.Target);
            w.String(relation.Label);
            w.Int(relation.Evidence.Length);
            foreach (var (chunk, weight) in relation.Evidence)
            {
                w.Int(chunk);
                w.Double(weight);
            }
        });
        Slots(w, snapshot.EntityStates, entity =>
        {
            w.String(entity.Key);
            w.String(entity.Name);
            w.String(entity.Type);
            w.Bool(entity.NameDisputed);
            w.Bool(entity.TypeDisputed);
            w.Int(entity.Chunks.Length);
            foreach (var (chunk, count) in entity.Chunks)
            {
                w.Int(chunk);
                w.Int(count);
            }

            w.Int(entity.Surfaces.Length);
            foreach (var surface in entity.Surfaces)
            {
                w.Int(surface.Chunk);
                w.String(surface.Text);
                w.String(surface.Key);
                w.Int(surface.Count);
            }

            w.Int(entity.Votes.Length);
            foreach (var vote in entity.Votes)
            {
                w.Int(vote.Document);
                w.String(vote.Name);
                w.String(vote.Type);
                w.Int(vote.Mentions);
            }

            w.Int(entity.Relations.Length);
            foreach (var relation in entity.Relations)
            {
                w.Int(relation.Index);
            }

            w.Int(entity.Keys.Length);
            foreach (var hits in entity.Keys)
            {
                w.String(hits.Key);
                w.Int(hits.Hits.Length);
                foreach (var hit in hits.Hits)
                {
                    w.Int(hit.Chunk);
                    w.Int(hit.Use);
                }
            }
        });
    }

    public static GraphSnapshot Read(IndexReader r)
    {
        var generation = r.Long();
        var liveChunks = r.Int();
        var maps = new IdMap[4];
        for (var m = 0; m < maps.Length; m++)
        {
            var ids = new string[r.Count()];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = r.Text();
            }

            maps[m] = new IdMap(ids);
        }

        var keyCount = r.Count();
        var keys = new List<(string, int[])>(keyCount);
        for (var i = 0; i < keyCount; i++)
        {
            keys.Add((r.String(), r.Ints()));
        }

        var tables = new SnapshotTables(maps[0], maps[1], maps[2], maps[3], new KeyIndex(keys));
        // Names, types, texts and keys repeat across entities: each distinct one is held once.
        var strings = tables.Strings;
        foreach (var (key, _) in keys)
        {
            strings.Intern(key);
        }

        var documents = Slots(r, slot => new DocumentEntry(slot, tables.Documents.IdOf(slot), r.Ints(), r.Ints(), r.Ints()));
        var chunks = Slots(r, slot =>
        {
            var document = r.Int();
            var entities = new ChunkEntity[r.Count()];
            for (var i = 0; i < entities.Length; i++)
            {
                entities[i] = new ChunkEntity(r.Int(), r.Int());
            }

            return new ChunkState(slot, tables.Chunks.IdOf(slot), document, entities);
        });
        var relations = Slots(r, slot =>
        {
            var (source, target, label) = (r.Int(), r.Int(), strings.Intern(r.String()));
            var evidence = new RelationChunk[r.Count()];
            for (var i = 0; i < evidence.Length; i++)
            {
                evidence[i] = new RelationChunk(r.Int(), r.Double());
            }

            return new RelationState(slot, source, target, label, evidence);
        });
        var entities = Slots(r, slot =>
        {
            var (key, name, type, nameDisputed, typeDisputed) = (strings.Intern(r.String()), strings.Intern(r.String()), strings.Intern(r.String()), r.Bool(), r.Bool());
            var chunkRefs = new EntityChunk[r.Count()];
            for (var i = 0; i < chunkRefs.Length; i++)
            {
                chunkRefs[i] = new EntityChunk(r.Int(), r.Int());
            }

            var surfaces = new EntitySurface[r.Count()];
            for (var i = 0; i < surfaces.Length; i++)
            {
                surfaces[i] = new EntitySurface(r.Int(), strings.Intern(r.String()), strings.Intern(r.String()), r.Int());
            }

            var votes = new DocumentVote[r.Count()];
            for (var i = 0; i < votes.Length; i++)
            {
                votes[i] = new DocumentVote(r.Int(), strings.Intern(r.String()), strings.Intern(r.String()), r.Int());
            }

            var incident = new RelationState[r.Count()];
            for (var i = 0; i < incident.Length; i++)
            {
                incident[i] = relations[r.Int()] ?? throw new InvalidDataException("The index file is damaged (a relation is missing).");
            }

            var keyHits = new KeyHits[r.Count()];
            for (var i = 0; i < keyHits.Length; i++)
            {
                var hitKey = strings.Intern(r.String());
                var hits = new KeyHit[r.Count()];
                for (var j = 0; j < hits.Length; j++)
                {
                    hits[j] = new KeyHit(r.Int(), (byte)r.Int());
                }

                keyHits[i] = new KeyHits(hitKey, hits);
            }

            return new EntityState(slot, tables.Entities.IdOf(slot), key, name, type, chunkRefs, surfaces, votes)
            {
                Relations = incident,
                Keys = keyHits,
                NameDisputed = nameDisputed,
                TypeDisputed = typeDisputed,
            };
        });
        return new GraphSnapshot(generation, tables, entities, chunks, documents, relations, liveChunks);
    }

    private static void Slots<T>(IndexWriter w, PagedArray<T> states, Action<T> write)
        where T : class
    {
        w.Int(states.Length);
        foreach (var state in states)
        {
            w.Bool(state is not null);
            if (state is not null)
            {
                write(state);
            }
        }
    }

    private static PagedArray<T> Slots<T>(IndexReader r, Func<int, T> read)
        where T : class
    {
        var states = PagedArray<T>.Empty.ToBuilder();
        states.Grow(r.Count());
        for (var slot = 0; slot < states.Length; slot++)
        {
            if (r.Bool())
            {
                states[slot] = read(slot);
            }
        }

        return states.Build();
    }
}
