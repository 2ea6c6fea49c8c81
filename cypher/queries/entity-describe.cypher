// What each document says of each entity it mentions; the entity node is created by its first document.
UNWIND $rows AS row
MATCH (d:Document {store: $store, id: row.documentId})
MERGE (e:Entity {store: $store, id: row.entityId})
ON CREATE SET e.key = row.key, e.name = row.name, e.type = row.type, e.mentionCount = 0, e.documentCount = 0
CREATE (d)-[:DESCRIBES {key: row.key, name: row.name, type: row.type, mentions: row.mentions}]->(e)
