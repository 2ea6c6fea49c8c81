// Relations by id when the store knows each one's source entity (an index seek instead of a scan).
UNWIND $rows AS row
MATCH (:Entity {store: $store, id: row.source})-[r:RELATES {id: row.id}]->(:Entity)
WITH DISTINCT r
WHERE $labelled = false OR r.type <> 'co_occurs'
RETURN r.id, startNode(r).id, endNode(r).id, r.type, r.weight, r.evidenceDocumentIds, r.evidenceChunkIds, r.evidenceStarts,
       r.evidenceEnds, r.evidencePhrases, r.evidenceWeights, coalesce(r.evidenceExtractors, [])
ORDER BY CASE WHEN r.type = 'co_occurs' THEN 1 ELSE 0 END, r.weight DESC, r.id LIMIT $limit
