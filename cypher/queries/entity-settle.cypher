UNWIND $rows AS row
MATCH (e:Entity {store: $store, id: row.id})
SET e.name = row.name, e.type = row.type, e.mentionCount = row.mentions, e.documentCount = row.documents
