// The path between two entities with provenance: the shortest chain of RELATES edges (at most 4), and for every edge
// each sentence that supports it, quoted from the chunk text at the evidence span, with its document.
//
// In Neo4j Browser:
//   :param from => 'Paris'
//   :param to => 'France'
// Each of $from and $to matches a name, a normalised key (lower case) or an id; the most mentioned match wins.
MATCH (a:Entity)
WHERE a.name = $from OR a.key = toLower($from) OR a.id = $from
WITH a ORDER BY a.mentionCount DESC LIMIT 1
MATCH (b:Entity)
WHERE (b.name = $to OR b.key = toLower($to) OR b.id = $to) AND b <> a
WITH a, b ORDER BY b.mentionCount DESC LIMIT 1
// The type is tested in WHERE rather than in the pattern: Neo4j 3.1's typed shortest-path finder fails on Java 17,
// and the predicate is checked during the search on every version.
MATCH p = shortestPath((a)-[*..4]-(b))
WHERE all(rel IN relationships(p) WHERE type(rel) = 'RELATES')
UNWIND range(0, length(p) - 1) AS step
WITH p, step, relationships(p)[step] AS r
UNWIND range(0, size(r.evidenceChunkIds) - 1) AS i
// Nodes by id, not through HAS_CHUNK: after a shortest path 3.1 plans with its older matcher, which has the same
// Java 17 failure for typed relationship patterns.
MATCH (c:Chunk {id: r.evidenceChunkIds[i]})
MATCH (d:Document {id: c.documentId})
RETURN p, step + 1 AS hop,
       startNode(r).name AS source, r.type AS relation, endNode(r).name AS target,
       d.title AS document, c.id AS chunkId, r.evidenceStarts[i] AS start, r.evidenceEnds[i] AS end,
       substring(c.text, r.evidenceStarts[i] - c.start, r.evidenceEnds[i] - r.evidenceStarts[i]) AS evidence
ORDER BY hop, document, start;
