MATCH (d:Document {store: $store})
WITH d ORDER BY d.id SKIP $offset LIMIT $limit
OPTIONAL MATCH (d)-[:HAS_CHUNK]->(c:Chunk)
RETURN d.id, d.title, d.source, d.mediaType, count(c) ORDER BY d.id
