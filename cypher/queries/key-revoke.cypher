MATCH (k:GraphRagApiKey {store: $store, id: $id})
SET k.revokedAt = coalesce(k.revokedAt, $revokedAt)
RETURN count(k)
