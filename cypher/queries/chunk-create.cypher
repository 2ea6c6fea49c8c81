UNWIND $rows AS row
MATCH (d:Document {store: $store, id: row.documentId})
CREATE (d)-[:HAS_CHUNK {ordinal: row.ordinal}]->(c:Chunk {store: $store})
SET c += row
