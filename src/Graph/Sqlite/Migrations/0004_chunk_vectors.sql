-- GraphRag embedded store, schema version 4.
-- Chunk embeddings: one int8-quantised vector per chunk (component i = data[i] * scale), written and deleted with its
-- document in the same transaction. text_hash identifies the exact text embedded, so unchanged text keeps its vector.
CREATE TABLE chunk_vectors (
    chunk_id     TEXT PRIMARY KEY NOT NULL,
    document_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    text_hash    TEXT NOT NULL,
    dims         INTEGER NOT NULL,
    scale        REAL NOT NULL,
    data         BLOB NOT NULL
) STRICT;

CREATE INDEX ix_chunk_vectors_document ON chunk_vectors(document_id);
CREATE INDEX ix_chunk_vectors_text_hash ON chunk_vectors(text_hash);

-- The embedding model every stored vector was made with: at most one row, recorded by the first write of vectors.
-- A store opened with another model refuses to start (re-embed it first).
CREATE TABLE vector_model (
    singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
    model_id    TEXT NOT NULL,
    dimensions  INTEGER NOT NULL
) STRICT;

PRAGMA user_version = 4;
