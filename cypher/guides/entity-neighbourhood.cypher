// An entity's neighbourhood with evidence: its strongest RELATES edges, each with the sentence that states it
// (the chunk text at the evidence span) and the document it comes from.
//
// In Neo4j Browser, set the parameters first, then run the statement:
//   :param name => 'United States'
//   :param limit => 25
// $name matches an entity's name, its normalised key (lower case) or its id; the most mentioned match wins.
MATCH (e:Entity)
WHERE e.name = $name OR e.key = toLower($name) OR e.id = $name
WITH e ORDER BY e.mentionCount DESC LIMIT 1
MATCH (e)-[r:RELATES]-(other:Entity)
WITH e, r, other ORDER BY r.weight DESC, r.id LIMIT $limit
UNWIND range(0, size(r.evidenceChunkIds) - 1) AS i
MATCH (d:Document)-[:HAS_CHUNK]->(c:Chunk {id: r.evidenceChunkIds[i]})
RETURN e, r, other,
       startNode(r).name AS source, r.type AS relation, endNode(r).name AS target, r.weight AS weight,
       d.title AS document,
       substring(c.text, r.evidenceStarts[i] - c.start, r.evidenceEnds[i] - r.evidenceStarts[i]) AS evidence,
       c AS chunk;
