// Cached language-model extraction replies by key, from any document of the store.
UNWIND $keys AS key
MATCH (x:GraphRagExtraction {store: $store, key: key})
RETURN key, x.reply
ORDER BY key, x.documentId
