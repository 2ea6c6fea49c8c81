MATCH (c:GraphRagChange {store: $store, generation: $generation})
UNWIND c.documentIds AS id
RETURN id ORDER BY id
