MATCH (:Document {store: $store, id: $id})-[:HAS_CHUNK]->(c:Chunk)
REMOVE c.embedding, c.embeddingTextHash, c.embeddingScale
RETURN c.id
