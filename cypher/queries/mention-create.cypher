UNWIND $rows AS row
MATCH (c:Chunk {store: $store, id: row.chunkId}), (e:Entity {store: $store, id: row.entityId})
CREATE (c)-[m:MENTIONS]->(e)
SET m.id = row.id, m.documentId = row.documentId, m.start = row.start, m.end = row.end, m.text = row.text,
    m.surfaceKey = row.surfaceKey, m.type = row.type, m.resolution = row.resolution, m.extractor = row.extractor
