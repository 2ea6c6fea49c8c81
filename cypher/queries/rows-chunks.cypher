UNWIND $ids AS id
MATCH (:Document {store: $store, id: id})-[:HAS_CHUNK]->(c:Chunk)
RETURN id, c.id, c.text, c.ordinal
