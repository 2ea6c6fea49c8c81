UNWIND $ids AS id
MATCH (d:Document {store: $store, id: id})
RETURN d.id AS id, d.contentHash AS contentHash, d.pipeline AS pipeline
