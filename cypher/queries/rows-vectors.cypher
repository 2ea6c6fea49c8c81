UNWIND $ids AS id
MATCH (:Document {store: $store, id: id})-[:HAS_CHUNK]->(c:Chunk)
WHERE c.embedding IS NOT NULL
RETURN id, c.id, c.embeddingTextHash, c.embeddingScale, c.embedding
