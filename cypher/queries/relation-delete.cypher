UNWIND $rows AS row
MATCH (:Entity {store: $store, id: row.source})-[r:RELATES {id: row.id}]->()
DELETE r
