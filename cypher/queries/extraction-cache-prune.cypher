// Drops a document's cached replies for chunk text it no longer has (all of them when it is deleted: empty hashes).
UNWIND $rows AS row
MATCH (x:GraphRagExtraction {store: $store, documentId: row.documentId})
WHERE NOT x.textHash IN row.hashes
DELETE x
