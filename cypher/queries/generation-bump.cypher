// One committed write: the next generation, logged with the documents it changed.
MATCH (m:GraphRagMeta {store: $store})
SET m.generation = m.generation + 1
CREATE (c:GraphRagChange {store: $store, generation: m.generation, documentIds: $ids})
RETURN m.generation AS generation
