MATCH (m:GraphRagMeta {store: $store})
SET m.generation = m.generation + 1
RETURN m.generation AS generation
