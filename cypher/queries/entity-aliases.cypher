UNWIND $ids AS id
MATCH (:Entity {store: $store, id: id})<-[m:MENTIONS]-(:Chunk)
RETURN id, m.text, count(*) AS n
