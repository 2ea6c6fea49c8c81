MATCH (d:Document {store: $store})
RETURN d.id, d.acl, d.metadata, d.sensitive ORDER BY d.id
