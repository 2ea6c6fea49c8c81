// Neo4j 4.x and later (5.x, 202x, Aura): named, idempotent schema statements, one per line.
CREATE CONSTRAINT graphrag_meta_store IF NOT EXISTS FOR (m:GraphRagMeta) REQUIRE m.store IS UNIQUE;
CREATE INDEX graphrag_document_id IF NOT EXISTS FOR (n:Document) ON (n.id);
CREATE INDEX graphrag_chunk_id IF NOT EXISTS FOR (n:Chunk) ON (n.id);
CREATE INDEX graphrag_entity_id IF NOT EXISTS FOR (n:Entity) ON (n.id);
CREATE INDEX graphrag_entity_key IF NOT EXISTS FOR (n:Entity) ON (n.key);
CREATE INDEX graphrag_change_store IF NOT EXISTS FOR (n:GraphRagChange) ON (n.store);
CREATE INDEX graphrag_apikey_id IF NOT EXISTS FOR (n:GraphRagApiKey) ON (n.id);
CREATE INDEX graphrag_audit_store IF NOT EXISTS FOR (n:GraphRagAudit) ON (n.store);
CREATE INDEX graphrag_secret_name IF NOT EXISTS FOR (n:GraphRagSecret) ON (n.name);
CREATE INDEX graphrag_extraction_key IF NOT EXISTS FOR (n:GraphRagExtraction) ON (n.key);
CREATE INDEX graphrag_extraction_document IF NOT EXISTS FOR (n:GraphRagExtraction) ON (n.documentId);
