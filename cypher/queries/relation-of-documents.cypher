// The relations a document gave evidence to: they start at an entity it describes.
UNWIND $ids AS id
MATCH (:Document {store: $store, id: id})-[:DESCRIBES]->(s:Entity)-[r:RELATES]->(t:Entity)
WHERE id IN r.evidenceDocumentIds
RETURN DISTINCT r.id, s.id, t.id, r.type, r.evidenceDocumentIds, r.evidenceChunkIds, r.evidenceStarts, r.evidenceEnds,
       r.evidencePhrases, r.evidenceWeights, coalesce(r.evidenceExtractors, [])
