MATCH (m:GraphRagMeta {store: $store})
RETURN m.generation AS generation, m.changesFrom AS changesFrom, m.storeId AS storeId,
       m.vectorModelId AS modelId, m.vectorModelDimensions AS dimensions
