// Taken first by every write: the write lock on the meta node serialises a store's writers across processes.
MATCH (m:GraphRagMeta {store: $store})
SET m.lockedBy = $token
RETURN m.generation AS generation, m.vectorModelId AS modelId, m.vectorModelDimensions AS dimensions
