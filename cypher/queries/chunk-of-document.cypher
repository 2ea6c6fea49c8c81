MATCH (:Document {store: $store, id: $id})-[:HAS_CHUNK]->(c:Chunk)
RETURN c.id, c.documentId, c.ordinal, c.start, c.end, c.tokenCount, c.page, c.section, c.text
ORDER BY c.ordinal
