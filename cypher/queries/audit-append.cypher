// The audit sequence has a node of its own, so appending never waits for a document write's lock.
MATCH (s:GraphRagSequence {store: $store, name: 'audit'})
SET s.value = s.value + 1
CREATE (a:GraphRagAudit {store: $store, seq: s.value})
SET a += $entry
RETURN a.seq
