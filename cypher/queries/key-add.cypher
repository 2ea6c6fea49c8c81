// Adds the key unless one with its id exists; returns how many were created (0 or 1).
MATCH (m:GraphRagMeta {store: $store})
SET m.lockedBy = $token
WITH m
OPTIONAL MATCH (k:GraphRagApiKey {store: $store, id: $key.id})
WITH k WHERE k IS NULL
CREATE (n:GraphRagApiKey {store: $store})
SET n += $key
RETURN count(n)
