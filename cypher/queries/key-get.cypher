MATCH (k:GraphRagApiKey {store: $store, id: $id})
RETURN k.id, k.secretHash, k.principal, k.groups, k.grants, k.createdAt, k.revokedAt
