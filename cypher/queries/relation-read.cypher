// Relations by id (each row names its source, so the lookup starts from an indexed node).
UNWIND $rows AS row
MATCH (:Entity {store: $store, id: row.source})-[r:RELATES {id: row.id}]->(t:Entity)
RETURN r.id, row.source, t.id, r.type, r.evidenceDocumentIds, r.evidenceChunkIds, r.evidenceStarts, r.evidenceEnds,
       r.evidencePhrases, r.evidenceWeights, coalesce(r.evidenceExtractors, [])
