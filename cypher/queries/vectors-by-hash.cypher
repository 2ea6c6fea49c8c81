UNWIND $hashes AS hash
MATCH (c:Chunk {store: $store})
WHERE c.embeddingTextHash = hash AND size(c.embedding) = $dimensions
RETURN c.id, c.embeddingTextHash, c.embeddingScale, c.embedding
ORDER BY c.embeddingTextHash, c.id
