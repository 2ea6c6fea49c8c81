// The change log keeps the last $keep generations; a reader further behind reloads every row.
MATCH (m:GraphRagMeta {store: $store})
SET m.changesFrom = CASE WHEN m.generation - $keep > m.changesFrom THEN m.generation - $keep ELSE m.changesFrom END
WITH m
MATCH (c:GraphRagChange {store: $store})
WHERE c.generation <= m.changesFrom
DELETE c
