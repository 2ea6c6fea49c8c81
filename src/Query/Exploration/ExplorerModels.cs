using GraphRag.Graph.Model;

namespace GraphRag.Query.Exploration;

/// <summary>An entity as the caller sees it: names and counts from readable mentions only.</summary>
/// <param name="Name">The most frequent readable surface form (the stored name for an administrator).</param>
/// <param name="Aliases">Other readable surface forms, distinct ignoring case, most frequent first.</param>
/// <param name="MentionCount">Mentions in readable documents.</param>
/// <param name="DocumentCount">Readable documents that mention it.</param>
public sealed record EntitySummary(string Id, string Name, string Type, IReadOnlyList<string> Aliases, int MentionCount, int DocumentCount);

/// <summary>An entity with its readable mentions and the relations a readable chunk supports.</summary>
public sealed record EntityDetails(
    string Id,
    string Name,
    string Type,
    IReadOnlyList<string> Aliases,
    int MentionCount,
    int DocumentCount,
    IReadOnlyList<MentionSpan> Mentions,
    IReadOnlyList<EntityRelation> Relations);

/// <summary>One mention: where it is (document character offsets) and the text used there.</summary>
/// <param name="Extractor">Which extractor found it: <c>rules</c>, or <c>llm:&lt;model&gt;</c> (<c>ingest --llm</c>).</param>
public sealed record MentionSpan(string DocumentId, string ChunkId, int Start, int End, string Text, string Resolution, string Extractor = Extractors.Rules);

/// <summary>A span that states a relation, quoted as citations are: <c>Quote == document.Text[Start..End]</c>.</summary>
/// <param name="Extractor">Which extractor found it: <c>rules</c>, or <c>llm:&lt;model&gt;</c> (<c>ingest --llm</c>).</param>
public sealed record EvidenceSpan(string DocumentId, string ChunkId, int Start, int End, string Quote, string Extractor = Extractors.Rules);

/// <summary>A relation of an entity, both ends named as the caller sees them, with readable evidence only.</summary>
public sealed record EntityRelation(
    string RelationId,
    string SourceId,
    string SourceName,
    string Label,
    string TargetId,
    string TargetName,
    double Weight,
    IReadOnlyList<EvidenceSpan> Evidence);

/// <summary>The neighbourhood of an entity over relations the caller can see.</summary>
public sealed record EntitySubgraph(string RootId, IReadOnlyList<SubgraphEntity> Nodes, IReadOnlyList<SubgraphRelation> Edges);

/// <param name="Depth">Relations from the root (0 for the root).</param>
public sealed record SubgraphEntity(string Id, string Name, string Type, int Depth);

/// <param name="Provenance">Readable evidence spans (a few at most).</param>
public sealed record SubgraphRelation(string RelationId, string SourceId, string TargetId, string Label, double Weight, IReadOnlyList<EvidenceSpan> Provenance);

/// <summary>The cheapest chain of visible relations between two entities.</summary>
public sealed record EntityPath(string From, string To, double Cost, IReadOnlyList<EntityPathStep> Steps, string FromId, string ToId);

/// <summary>One edge of a path, walked from <see cref="From"/> to <see cref="To"/>.</summary>
/// <param name="Forward">True when the relation points from <see cref="From"/> to <see cref="To"/>.</param>
public sealed record EntityPathStep(string From, string Label, string To, bool Forward, IReadOnlyList<EvidenceSpan> Evidence, string RelationId);
