using GraphRag.Graph.Model;
using GraphRag.Graph.Rows;
using GraphRag.Graph.Synonyms;

namespace GraphRag.Graph.Traversal;

/// <summary>
/// An immutable, in-memory view of the entity graph at one store generation: entities, the chunks that mention them,
/// and relations with the chunks that support them. Every traversal takes an optional <see cref="Visibility"/>: an
/// entity exists for the caller only through a chunk the caller may read, and a relation only through a readable
/// evidence chunk, so no path, neighbour or score can route through what the caller may not see. The next snapshot is
/// made from this one by <see cref="Apply"/>, which rebuilds only what a change touches. Thread-safe.
/// </summary>
public sealed partial class GraphSnapshot
{
    private readonly PagedArray<EntityState> _entities;
    private readonly PagedArray<ChunkState> _chunks;
    private readonly PagedArray<DocumentEntry> _documents;
    private readonly PagedArray<RelationState> _relations;

    // What PageRank walks read without a mask; a mask keeps its own (Visibility.WalkCache).
    private WalkCache? _walk;

    internal GraphSnapshot(
        long generation,
        SnapshotTables tables,
        PagedArray<EntityState> entities,
        PagedArray<ChunkState> chunks,
        PagedArray<DocumentEntry> documents,
        PagedArray<RelationState> relations,
        int liveChunks)
    {
        Generation = generation;
        Tables = tables;
        _entities = entities;
        _chunks = chunks;
        _documents = documents;
        _relations = relations;
        LiveChunkCount = liveChunks;
    }

    /// <summary>
    /// A snapshot of hand-made rows, for tests: entities, chunks with their documents, mentions, relations with their
    /// evidence chunks (and optionally each chunk's share of the weight), and per-document type and name votes.
    /// </summary>
    internal GraphSnapshot(
        long generation,
        IReadOnlyList<EntityNode> entities,
        IReadOnlyList<(string ChunkId, string DocumentId)> chunks,
        IReadOnlyList<(string EntityId, string ChunkId, string SurfaceKey, string Text, int Count)> mentions,
        IReadOnlyList<(string Id, string SourceId, string TargetId, string Label, double Weight, IReadOnlyList<string> EvidenceChunks)> relations,
        IReadOnlyDictionary<string, IReadOnlyList<double>>? evidenceWeights = null,
        IReadOnlyList<(string EntityId, string DocumentId, string Type, int Mentions)>? typeVotes = null,
        IReadOnlyList<(string EntityId, string DocumentId, string Name, int Mentions)>? nameVotes = null)
        : this(Empty().Apply(generation, [], RowsOf(entities, chunks, mentions, relations, evidenceWeights, typeVotes, nameVotes)))
    {
    }

    private GraphSnapshot(GraphSnapshot built)
        : this(built.Generation, built.Tables, built._entities, built._chunks, built._documents, built._relations, built.LiveChunkCount)
    {
    }

    /// <summary>The store generation this snapshot was read at.</summary>
    public long Generation { get; }

    internal SnapshotTables Tables { get; }

    internal PagedArray<EntityState> EntityStates => _entities;

    internal PagedArray<ChunkState> ChunkStates => _chunks;

    internal PagedArray<DocumentEntry> DocumentStates => _documents;

    internal PagedArray<RelationState> RelationStates => _relations;

    /// <summary>Live chunks.</summary>
    internal int LiveChunkCount { get; }

    /// <summary>
    /// Entities whose keys embed alike (<see cref="SynonymEdges"/>); none without embeddings. Walked by
    /// <see cref="PersonalizedPageRank"/> when asked to, and only between entities the caller sees.
    /// </summary>
    public SynonymEdges Synonyms { get; internal init; } = SynonymEdges.None;

    public int EntityCount => _entities.Count(e => e is not null);

    public int ChunkCount => LiveChunkCount;

    public int RelationCount => _relations.Count(r => r is not null);

    /// <summary>The most words in any surface key: longer n-grams cannot match.</summary>
    public int MaxKeyWords => Tables.Keys.MaxWords;

    /// <summary>A snapshot of nothing, generation -1: what a load starts from.</summary>
    public static GraphSnapshot Empty() => new(-1, new SnapshotTables(), PagedArray<EntityState>.Empty, PagedArray<ChunkState>.Empty, PagedArray<DocumentEntry>.Empty, PagedArray<RelationState>.Empty, 0);

    /// <summary>
    /// The next snapshot: this one with <paramref name="removed"/> documents gone and <paramref name="added"/> ones
    /// (re)written, at <paramref name="generation"/>. This snapshot is unchanged and stays usable.
    /// </summary>
    /// <summary>This snapshot with other synonym edges; everything else is shared.</summary>
    internal GraphSnapshot WithSynonyms(SynonymEdges synonyms) =>
        new(Generation, Tables, _entities, _chunks, _documents, _relations, LiveChunkCount) { Synonyms = synonyms };

    public GraphSnapshot Apply(long generation, IEnumerable<string> removed, IReadOnlyList<DocumentRows> added)
    {
        ArgumentNullException.ThrowIfNull(removed);
        ArgumentNullException.ThrowIfNull(added);
        return SnapshotBuilder.Apply(this, generation, removed, added);
    }

    public bool ContainsEntity(string entityId) => Entity(entityId) is not null;

    public EntityNode? GetEntity(string entityId) => Entity(entityId)?.Node;

    /// <summary>The document a chunk belongs to, or null for an unknown chunk.</summary>
    public string? DocumentOf(string chunkId) =>
        Chunk(chunkId) is { } chunk ? _documents[chunk.Document]?.Id : null;

    /// <summary>True when the chunk is in this snapshot and the caller may read it (always, without a mask).</summary>
    public bool IsChunkVisible(string chunkId, Visibility? visibility = null) =>
        Chunk(chunkId) is { } chunk && (visibility is null || visibility.Chunks[chunk.Index]);

    /// <summary>Ids of the entities the chunks of a document mention.</summary>
    public IEnumerable<string> EntitiesInDocument(string documentId)
    {
        if (!Tables.Documents.TryGet(documentId, out var d) || d >= _documents.Length || _documents[d] is not { } document)
        {
            yield break;
        }

        foreach (var c in document.Chunks)
        {
            foreach (var mentioned in _chunks[c]!.Entities)
            {
                yield return _entities[mentioned.Entity]!.Id;
            }
        }
    }

    /// <summary>The chunks that mention an entity (visible ones only), with mention counts.</summary>
    public IReadOnlyList<(string ChunkId, string DocumentId, int Mentions)> ChunksOf(string entityId, Visibility? visibility = null)
    {
        if (!TryVisibleEntity(entityId, visibility, out var entity))
        {
            return [];
        }

        return entity.Chunks
            .Where(m => visibility is null || visibility.Chunks[m.Chunk])
            .Select(m => (_chunks[m.Chunk]!.Id, _documents[_chunks[m.Chunk]!.Document]!.Id, m.Count))
            .ToList();
    }

    /// <summary>The entities a chunk mentions.</summary>
    public IReadOnlyList<EntityNode> EntitiesIn(string chunkId, Visibility? visibility = null)
    {
        CheckMask(visibility);
        if (Chunk(chunkId) is not { } chunk || (visibility is not null && !visibility.Chunks[chunk.Index]))
        {
            return [];
        }

        return chunk.Entities.Select(m => Node(m.Entity, visibility)).ToList();
    }

    /// <summary>How many chunks mention the entity: a hub mentioned everywhere says little about any one chunk.</summary>
    public int ChunkFrequency(string entityId, Visibility? visibility = null)
    {
        CheckMask(visibility);
        if (Entity(entityId) is not { } entity)
        {
            return 0;
        }

        return visibility is null ? entity.Chunks.Length : entity.Chunks.Count(m => visibility.Chunks[m.Chunk]);
    }

    /// <summary>Chunks the caller may read (all of them without a mask): the corpus size for specificity weights.</summary>
    public int VisibleChunkCount(Visibility? visibility = null)
    {
        CheckMask(visibility);
        return visibility?.ChunkCount ?? LiveChunkCount;
    }

    /// <summary>A mask over this snapshot: only chunks of the documents <paramref name="documentReadable"/> accepts are readable.</summary>
    public Visibility CreateVisibility(Func<string, bool> documentReadable)
    {
        ArgumentNullException.ThrowIfNull(documentReadable);
        var documents = new bool[_documents.Length];
        for (var d = 0; d < documents.Length; d++)
        {
            documents[d] = _documents[d] is { } document && documentReadable(document.Id);
        }

        var chunks = new bool[_chunks.Length];
        var chunkCount = 0;
        for (var c = 0; c < chunks.Length; c++)
        {
            if (_chunks[c] is { } chunk && documents[chunk.Document])
            {
                chunks[c] = true;
                chunkCount++;
            }
        }

        var entities = new bool[_entities.Length];
        for (var e = 0; e < entities.Length; e++)
        {
            if (_entities[e] is { } entity)
            {
                foreach (var m in entity.Chunks)
                {
                    if (chunks[m.Chunk])
                    {
                        entities[e] = true;
                        break;
                    }
                }
            }
        }

        var relations = new bool[_relations.Length];
        var weights = new double[_relations.Length];
        for (var r = 0; r < relations.Length; r++)
        {
            if (_relations[r] is { } relation && entities[relation.Source] && entities[relation.Target])
            {
                var sum = 0.0;
                var all = true;
                foreach (var evidence in relation.Evidence)
                {
                    if (chunks[evidence.Chunk])
                    {
                        relations[r] = true;
                        sum += evidence.Weight;
                    }
                    else
                    {
                        all = false;
                    }
                }

                // The weight the readable evidence gives; the stored weight when every piece is readable.
                weights[r] = !relations[r] ? 0 : all ? relation.Weight : Math.Round(sum, 9);
            }
        }

        return new Visibility(this, documents, chunks, entities, relations, weights, chunkCount);
    }

    internal EntityState? Entity(string entityId) =>
        Tables.Entities.TryGet(entityId, out var e) && e < _entities.Length ? _entities[e] : null;

    private ChunkState? Chunk(string chunkId) =>
        Tables.Chunks.TryGet(chunkId, out var c) && c < _chunks.Length ? _chunks[c] : null;

    /// <summary>The id of a relation of this snapshot.</summary>
    internal string RelationId(RelationState relation) => Tables.Relations.IdOf(relation.Index);

    private RelationState? Relation(string relationId) =>
        Tables.Relations.TryGet(relationId, out var r) && r < _relations.Length ? _relations[r] : null;

    private bool TryVisibleEntity(string entityId, Visibility? visibility, out EntityState entity)
    {
        ArgumentNullException.ThrowIfNull(entityId);
        CheckMask(visibility);
        entity = Entity(entityId)!;
        return entity is not null && (visibility is null || visibility.Entities[entity.Index]);
    }

    private void CheckMask(Visibility? visibility)
    {
        if (visibility is not null && !ReferenceEquals(visibility.Snapshot, this))
        {
            throw new ArgumentException("The visibility mask belongs to another snapshot.", nameof(visibility));
        }
    }

    private static List<DocumentRows> RowsOf(
        IReadOnlyList<EntityNode> entities,
        IReadOnlyList<(string ChunkId, string DocumentId)> chunks,
        IReadOnlyList<(string EntityId, string ChunkId, string SurfaceKey, string Text, int Count)> mentions,
        IReadOnlyList<(string Id, string SourceId, string TargetId, string Label, double Weight, IReadOnlyList<string> EvidenceChunks)> relations,
        IReadOnlyDictionary<string, IReadOnlyList<double>>? evidenceWeights,
        IReadOnlyList<(string EntityId, string DocumentId, string Type, int Mentions)>? typeVotes,
        IReadOnlyList<(string EntityId, string DocumentId, string Name, int Mentions)>? nameVotes)
    {
        var nodes = entities.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var documentOf = chunks.ToDictionary(c => c.ChunkId, c => c.DocumentId, StringComparer.Ordinal);
        var rows = new List<DocumentRows>();
        foreach (var document in chunks.Select(c => c.DocumentId).Distinct(StringComparer.Ordinal))
        {
            var documentMentions = mentions.Where(m => documentOf.GetValueOrDefault(m.ChunkId) == document && nodes.ContainsKey(m.EntityId)).ToList();
            var votes = documentMentions.GroupBy(m => m.EntityId, StringComparer.Ordinal).Select(g =>
            {
                var node = nodes[g.Key];
                var type = typeVotes?.FirstOrDefault(v => v.EntityId == g.Key && v.DocumentId == document).Type ?? node.Type;
                var name = nameVotes?.FirstOrDefault(v => v.EntityId == g.Key && v.DocumentId == document).Name ?? node.Name;
                return new EntityRow(g.Key, node.Key, name, type, g.Sum(m => m.Count));
            }).ToList();
            var evidence = new List<EvidenceRow>();
            foreach (var relation in relations)
            {
                var given = evidenceWeights?.GetValueOrDefault(relation.Id);
                for (var i = 0; i < relation.EvidenceChunks.Count; i++)
                {
                    if (documentOf.GetValueOrDefault(relation.EvidenceChunks[i]) == document)
                    {
                        var share = given is not null && i < given.Count ? given[i] : relation.Weight / relation.EvidenceChunks.Count;
                        evidence.Add(new EvidenceRow(relation.Id, relation.SourceId, relation.TargetId, relation.Label, relation.EvidenceChunks[i], share));
                    }
                }
            }

            rows.Add(new DocumentRows(
                document,
                document,
                [],
                chunks.Where(c => c.DocumentId == document).Select(c => new ChunkRow(c.ChunkId, string.Empty)).ToList(),
                votes,
                documentMentions.Select(m => new MentionRow(m.EntityId, m.ChunkId, m.SurfaceKey, m.Text, m.Count)).ToList(),
                evidence));
        }

        return rows;
    }
}
