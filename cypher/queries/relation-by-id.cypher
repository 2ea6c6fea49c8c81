// Relation ids alone, for ids whose source this process has not seen: a scan of the store's relations.
MATCH (:Entity {store: $store})-[r:RELATES]->()
WHERE r.id IN $relations AND ($labelled = false OR r.type <> 'co_occurs')
RETURN r.id, startNode(r).id, endNode(r).id, r.type, r.weight, r.evidenceDocumentIds, r.evidenceChunkIds, r.evidenceStarts,
       r.evidenceEnds, r.evidencePhrases, r.evidenceWeights, coalesce(r.evidenceExtractors, [])
ORDER BY CASE WHEN r.type = 'co_occurs' THEN 1 ELSE 0 END, r.weight DESC, r.id LIMIT $limit
