// By key, or by the key of any surface form it was mentioned under (an alias).
MATCH (e:Entity {store: $store, key: $key})
WHERE $type IS NULL OR e.type = $type
RETURN e.id, e.key, e.name, e.type, e.mentionCount, e.documentCount
UNION
MATCH (:Chunk {store: $store})-[m:MENTIONS]->(e:Entity)
WHERE m.surfaceKey = $key AND ($type IS NULL OR e.type = $type)
RETURN e.id, e.key, e.name, e.type, e.mentionCount, e.documentCount
