// Chunk ids are unique within a store (as in the SQLite store); ids are indexed, not constrained, since several stores
// may share a database, so a write checks its own chunks before it commits.
UNWIND $ids AS id
MATCH (c:Chunk {store: $store, id: id})
WITH id, count(c) AS copies
WHERE copies > 1
RETURN id
