UNWIND $entities AS id
MATCH (:Entity {store: $store, id: id})-[r:RELATES]-(:Entity)
WITH DISTINCT r
WHERE ($labelled = false OR r.type <> 'co_occurs') AND ($relations IS NULL OR r.id IN $relations)
RETURN r.id, startNode(r).id, endNode(r).id, r.type, r.weight, r.evidenceDocumentIds, r.evidenceChunkIds, r.evidenceStarts,
       r.evidenceEnds, r.evidencePhrases, r.evidenceWeights, coalesce(r.evidenceExtractors, [])
ORDER BY CASE WHEN r.type = 'co_occurs' THEN 1 ELSE 0 END, r.weight DESC, r.id LIMIT $limit
