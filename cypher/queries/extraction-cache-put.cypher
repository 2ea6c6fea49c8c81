// A document's cached language-model replies, one node per (document, key); textHash is the chunk text it was made from.
UNWIND $rows AS row
MERGE (x:GraphRagExtraction {store: $store, documentId: row.documentId, key: row.key})
SET x.textHash = row.textHash, x.reply = row.reply
