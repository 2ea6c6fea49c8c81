MATCH (c:Chunk {store: $store})
WHERE c.embedding IS NOT NULL
REMOVE c.embedding, c.embeddingTextHash, c.embeddingScale
