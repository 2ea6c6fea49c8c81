MATCH (d:Document {store: $store})-[:HAS_CHUNK]->(c:Chunk)
WHERE c.embedding IS NOT NULL
RETURN DISTINCT d.id ORDER BY d.id
