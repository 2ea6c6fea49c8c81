MATCH (k:GraphRagApiKey {store: $store})
RETURN k.id, k.secretHash, k.principal, k.groups, k.grants, k.createdAt, k.revokedAt
ORDER BY k.createdAt, k.id
