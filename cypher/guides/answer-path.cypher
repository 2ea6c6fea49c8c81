// An answer's path: the entities and RELATES edges of the paths behind an answer, the cited chunks with their
// documents, and where those chunks mention the path's entities. Every id comes from one answer (`graphrag query
// --json` and POST /v1/query return this statement with its parameters as "cypher"); the statement reads nothing else.
//
// In Neo4j Browser, paste the answer's parameters:
//   :param entityIds => ['ent_...', 'ent_...']
//   :param relationIds => ['rel_...']
//   :param chunkIds => ['chk_...']
MATCH p = (s:Entity)-[r:RELATES]->(t:Entity)
WHERE r.id IN $relationIds AND s.id IN $entityIds AND t.id IN $entityIds
WITH collect(p) AS paths, collect(DISTINCT s) + collect(DISTINCT t) AS entities
OPTIONAL MATCH (d:Document)-[h:HAS_CHUNK]->(c:Chunk)
WHERE c.id IN $chunkIds
WITH paths, entities, collect(DISTINCT d) AS documents, collect(DISTINCT c) AS chunks, collect(h) AS hasChunk
OPTIONAL MATCH (c:Chunk)-[m:MENTIONS]->(e:Entity)
WHERE c IN chunks AND e IN entities
RETURN paths, chunks, documents, hasChunk, collect(m) AS mentions;
