// The store's bookkeeping node: generation, change-log start, id, vector model.
MERGE (m:GraphRagMeta {store: $store})
ON CREATE SET m.generation = 0, m.changesFrom = 0, m.storeId = $storeId
RETURN m.generation AS generation, m.storeId AS storeId, m.vectorModelId AS modelId, m.vectorModelDimensions AS dimensions
