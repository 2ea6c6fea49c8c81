UNWIND $ids AS id
MATCH (e:Entity {store: $store, id: id})
RETURN e.id, e.key, e.name, e.type, e.mentionCount, e.documentCount
