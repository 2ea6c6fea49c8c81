MATCH (d:Document {store: $store, id: $id})
RETURN d.id, d.source, d.title, d.mediaType, d.contentHash, d.metadata, d.regions, d.acl, d.text, d.sensitive
