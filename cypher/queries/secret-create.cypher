MATCH (m:GraphRagMeta {store: $store})
SET m.lockedBy = $token
WITH m
OPTIONAL MATCH (s:GraphRagSecret {store: $store, name: $name})
WITH s WHERE s IS NULL
CREATE (:GraphRagSecret {store: $store, name: $name, value: $value})
