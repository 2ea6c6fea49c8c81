// lint: 3.x only
// Neo4j 3.x: one statement per line. Several GraphRag stores may share a database, so ids are indexed, not unique;
// the store's own write lock (its GraphRagMeta node) keeps them unique within a store.
// 3.x syntax, which Neo4j 5 removed: a linter for 5.x (language-support) rejects these lines by design.
CREATE CONSTRAINT ON (m:GraphRagMeta) ASSERT m.store IS UNIQUE;
CREATE INDEX ON :Document(id);
CREATE INDEX ON :Chunk(id);
CREATE INDEX ON :Entity(id);
CREATE INDEX ON :Entity(key);
CREATE INDEX ON :GraphRagChange(store);
CREATE INDEX ON :GraphRagApiKey(id);
CREATE INDEX ON :GraphRagAudit(store);
CREATE INDEX ON :GraphRagSecret(name);
CREATE INDEX ON :GraphRagExtraction(key);
CREATE INDEX ON :GraphRagExtraction(documentId);
