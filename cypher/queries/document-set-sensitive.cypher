UNWIND $rows AS row
MATCH (d:Document {store: $store, id: row.id})
SET d.sensitive = row.sensitive
