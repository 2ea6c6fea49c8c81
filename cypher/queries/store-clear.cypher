// Removes everything one store wrote (tests, and `graphrag` stores being dropped), in batches.
MATCH (n {store: $store})
WITH n LIMIT $batch
DETACH DELETE n
RETURN count(*)
