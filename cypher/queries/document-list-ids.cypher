UNWIND $ids AS id
MATCH (d:Document {store: $store, id: id})
WITH DISTINCT d ORDER BY d.id SKIP $offset LIMIT $limit
RETURN d.id, d.title, d.source, d.mediaType, size((d)-[:HAS_CHUNK]->())
