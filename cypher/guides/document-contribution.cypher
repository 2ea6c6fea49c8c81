// What one document contributed: the entities it describes (and whether no other document mentions them), the
// chunks that mention each, and the relations it gives evidence for (and whether it is their only evidence).
//
// In Neo4j Browser:
//   :param document => 'mq00000'
// $document matches a document's id or its title.
MATCH (d:Document)
WHERE d.id = $document OR d.title = $document
WITH d ORDER BY d.id LIMIT 1
MATCH (d)-[describes:DESCRIBES]->(e:Entity)
OPTIONAL MATCH (d)-[:HAS_CHUNK]->(c:Chunk)-[m:MENTIONS]->(e)
WITH d, describes, e, collect(DISTINCT c) AS chunks, collect(m) AS mentions
OPTIONAL MATCH (e)-[r:RELATES]->(other:Entity)
WHERE d.id IN r.evidenceDocumentIds
RETURN d, describes, e, chunks, mentions, r, other,
       e.name AS entity, e.type AS type, describes.mentions AS mentionsHere, e.documentCount = 1 AS onlyThisDocument,
       r.type AS relation, other.name AS target,
       size([x IN coalesce(r.evidenceDocumentIds, []) WHERE x = d.id]) AS evidenceHere,
       CASE WHEN r IS NULL THEN null ELSE size([x IN r.evidenceDocumentIds WHERE x <> d.id]) = 0 END AS onlyEvidence
ORDER BY mentionsHere DESC, entity, relation;
