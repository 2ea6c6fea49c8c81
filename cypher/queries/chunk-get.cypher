UNWIND $ids AS id
MATCH (c:Chunk {store: $store, id: id})
RETURN c.id, c.documentId, c.ordinal, c.start, c.end, c.tokenCount, c.page, c.section, c.text
