UNWIND $ids AS id
MATCH (:Document {store: $store, id: id})-[x:DESCRIBES]->(e:Entity)
RETURN id, e.id, x.key, x.name, x.type, x.mentions
