MATCH (e:Entity {store: $store})
WHERE $type IS NULL OR e.type = $type
RETURN e.id, e.key, e.name, e.type, e.mentionCount, e.documentCount
ORDER BY e.mentionCount DESC, e.id LIMIT $limit
