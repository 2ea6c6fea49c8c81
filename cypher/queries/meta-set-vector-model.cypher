MATCH (m:GraphRagMeta {store: $store})
SET m.vectorModelId = $modelId, m.vectorModelDimensions = $dimensions
