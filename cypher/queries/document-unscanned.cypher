MATCH (d:Document {store: $store})
WHERE d.sensitive IS NULL
RETURN d.id, d.text ORDER BY d.id LIMIT $limit
