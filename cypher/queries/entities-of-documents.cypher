UNWIND $ids AS id
MATCH (:Document {store: $store, id: id})-[:DESCRIBES]->(e:Entity)
RETURN DISTINCT e.id
