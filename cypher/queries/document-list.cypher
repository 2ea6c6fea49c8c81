MATCH (d:Document {store: $store})
WITH d ORDER BY d.id SKIP $offset LIMIT $limit
RETURN d.id, d.title, d.source, d.mediaType, size((d)-[:HAS_CHUNK]->())
