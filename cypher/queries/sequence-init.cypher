MERGE (s:GraphRagSequence {store: $store, name: 'audit'})
ON CREATE SET s.value = 0
