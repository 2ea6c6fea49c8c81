UNWIND $rows AS row
MATCH (c:Chunk {store: $store, id: row.chunkId})
SET c.embedding = row.embedding, c.embeddingTextHash = row.textHash, c.embeddingScale = row.scale
