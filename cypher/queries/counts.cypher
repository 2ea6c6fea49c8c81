MATCH (d:Document {store: $store})
WITH count(d) AS documents
OPTIONAL MATCH (:Document {store: $store})-[:HAS_CHUNK]->(c:Chunk)
WITH documents, count(c) AS chunks
OPTIONAL MATCH (e:Entity {store: $store})
WITH documents, chunks, count(e) AS entities
OPTIONAL MATCH (:Entity {store: $store})-[r:RELATES]->()
RETURN documents, chunks, entities, count(r) AS relations
