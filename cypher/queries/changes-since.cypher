MATCH (c:GraphRagChange {store: $store})
WHERE c.generation > $generation
UNWIND c.documentIds AS id
RETURN DISTINCT id
