UNWIND $ids AS id
MATCH (d:Document {store: $store, id: id})
RETURN d.id, d.title, d.acl
