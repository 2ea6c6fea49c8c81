UNWIND $entities AS id
MATCH (c:Chunk)-[m:MENTIONS]->(:Entity {store: $store, id: id})
WHERE $chunks IS NULL OR c.id IN $chunks
RETURN m.id, id, m.documentId, c.id, m.start, m.end, m.text, m.type, m.resolution,
       coalesce(m.extractor, 'rules')
