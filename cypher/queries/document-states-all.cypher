MATCH (d:Document {store: $store})
RETURN d.id AS id, d.contentHash AS contentHash, d.pipeline AS pipeline
