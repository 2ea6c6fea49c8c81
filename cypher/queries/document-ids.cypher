MATCH (d:Document {store: $store})
RETURN d.id
