-- GraphRag embedded store, schema version 5.
-- Provenance: which extractor found each mention and each piece of relation evidence ('rules', or 'llm:<model>' for a
-- language model under `ingest --llm`). Rows written before this version were all found by the rules.
ALTER TABLE mentions ADD COLUMN extractor TEXT NOT NULL DEFAULT 'rules';
ALTER TABLE relation_evidence ADD COLUMN extractor TEXT NOT NULL DEFAULT 'rules';

-- Language-model replies per document, keyed by a hash of the text sent, the model and the prompt version, so text sent
-- once is never sent again. text_hash ties a row to the chunk text it was made from: a replaced document keeps its rows
-- for text the new version still has (whatever extractor made it) and loses the rest; a deleted document loses all.
-- No foreign key: the document row is deleted and re-inserted when a document is replaced, and these rows outlive that.
CREATE TABLE extraction_cache (
    document_id  TEXT NOT NULL,
    cache_key    TEXT NOT NULL,
    text_hash    TEXT NOT NULL,
    reply        TEXT NOT NULL,
    PRIMARY KEY (document_id, cache_key)
) STRICT, WITHOUT ROWID;

CREATE INDEX ix_extraction_cache_key ON extraction_cache(cache_key);

PRAGMA user_version = 5;
