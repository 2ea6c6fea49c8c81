-- GraphRag embedded store, schema version 3.
-- Lexical search moves to an in-memory index built from the chunks themselves (GraphRag.Graph.Lexical), whose
-- postings are kept apart per access partition; the FTS5 table, whose postings mixed every tenant's documents, goes.
DROP TABLE chunks_fts;

-- Which documents each committed write touched, so an in-memory index (lexical postings, the graph) can catch up with
-- writes made by another process by reloading only those documents. The log holds the generations after
-- meta.changes_from; an index older than that reloads whole.
CREATE TABLE document_changes (
    generation   INTEGER NOT NULL,
    document_id  TEXT NOT NULL
) STRICT;

CREATE INDEX ix_document_changes_generation ON document_changes(generation);

INSERT INTO meta (key, value) SELECT 'changes_from', value FROM meta WHERE key = 'generation';

-- Spans of a document's text that hold personal data stored as read (the mask policy), as a JSON array of
-- {"start", "end", "label"}: masked wherever a returned text overlaps them, even when a chunk or quote cuts one in two.
-- NULL for documents written before this version: their spans are found again when they are read.
ALTER TABLE documents ADD COLUMN sensitive TEXT;
CREATE INDEX ix_documents_unscanned ON documents(id) WHERE sensitive IS NULL;

-- Keys the store itself needs (the personal-data pseudonym key), created once, never shown.
CREATE TABLE secrets (
    name   TEXT PRIMARY KEY NOT NULL,
    value  BLOB NOT NULL
) STRICT;

-- Names this store: an index cache file written for another store is never taken for this one's.
INSERT INTO secrets (name, value) VALUES ('store-id', randomblob(16));

PRAGMA user_version = 3;
