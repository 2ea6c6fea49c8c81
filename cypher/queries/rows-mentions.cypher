UNWIND $ids AS id
MATCH (:Document {store: $store, id: id})-[:HAS_CHUNK]->(c:Chunk)-[m:MENTIONS]->(e:Entity)
RETURN id, e.id, c.id, m.surfaceKey, m.text, count(*)
