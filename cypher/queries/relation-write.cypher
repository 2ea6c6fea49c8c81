// A relation's whole state, computed by the store from every document's evidence.
UNWIND $rows AS row
MATCH (s:Entity {store: $store, id: row.source}), (t:Entity {store: $store, id: row.target})
MERGE (s)-[r:RELATES {id: row.id}]->(t)
SET r.type = row.type, r.weight = row.weight, r.evidenceCount = row.evidenceCount,
    r.evidenceDocumentIds = row.documentIds, r.evidenceChunkIds = row.chunkIds, r.evidenceStarts = row.starts,
    r.evidenceEnds = row.ends, r.evidencePhrases = row.phrases, r.evidenceWeights = row.weights,
    r.evidenceExtractors = row.extractors
