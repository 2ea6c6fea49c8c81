MATCH (s:GraphRagSecret {store: $store, name: $name})
RETURN s.value
