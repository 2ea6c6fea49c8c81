UNWIND $chunks AS id
MATCH (c:Chunk {store: $store, id: id})-[m:MENTIONS]->(e:Entity)
RETURN m.id, e.id, m.documentId, c.id, m.start, m.end, m.text, m.type, m.resolution,
       coalesce(m.extractor, 'rules')
