// A document goes with its chunks and every relationship they hold (HAS_CHUNK, MENTIONS, DESCRIBES).
UNWIND $ids AS id
MATCH (d:Document {store: $store, id: id})
OPTIONAL MATCH (d)-[:HAS_CHUNK]->(c:Chunk)
WITH d, collect(c) AS chunks
FOREACH (c IN chunks | DETACH DELETE c)
DETACH DELETE d
