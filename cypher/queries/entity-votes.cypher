// Every document's name, type and mention count for each entity: the vote re-chooses its name and type from these.
UNWIND $ids AS id
MATCH (e:Entity {store: $store, id: id})
OPTIONAL MATCH (:Document)-[x:DESCRIBES]->(e)
RETURN id, collect(x.name), collect(x.type), collect(x.mentions)
