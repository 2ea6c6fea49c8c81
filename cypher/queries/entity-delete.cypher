UNWIND $ids AS id
MATCH (e:Entity {store: $store, id: id})
DETACH DELETE e
