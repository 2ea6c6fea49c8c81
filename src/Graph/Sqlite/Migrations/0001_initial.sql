-- GraphRag embedded store, schema version 1.
-- Every row that derives from a document carries document_id and goes when the document goes.

-- generation counts committed writes, so readers can tell when a cached graph snapshot is stale.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value INTEGER NOT NULL
) STRICT;

INSERT INTO meta (key, value) VALUES ('generation', 0);

CREATE TABLE documents (
    id            TEXT PRIMARY KEY NOT NULL,
    source        TEXT NOT NULL,
    title         TEXT NOT NULL,
    media_type    TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    pipeline      TEXT NOT NULL,
    metadata      TEXT NOT NULL,
    regions       TEXT NOT NULL,
    acl           TEXT NOT NULL,
    text          TEXT NOT NULL
) STRICT;

CREATE TABLE chunks (
    seq           INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    document_id   TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal       INTEGER NOT NULL,
    start_offset  INTEGER NOT NULL,
    end_offset    INTEGER NOT NULL,
    token_count   INTEGER NOT NULL,
    page          INTEGER,
    section       TEXT,
    text          TEXT NOT NULL
) STRICT;

CREATE INDEX ix_chunks_document ON chunks(document_id, ordinal);

-- rowid = chunks.seq. The title column lets a passage's title count as lexical evidence for every chunk of it.
CREATE VIRTUAL TABLE chunks_fts USING fts5(
    title,
    text,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TABLE entities (
    id             TEXT PRIMARY KEY NOT NULL,
    key            TEXT NOT NULL,
    name           TEXT NOT NULL,
    type           TEXT NOT NULL,
    mention_count  INTEGER NOT NULL,
    document_count INTEGER NOT NULL
) STRICT;

CREATE INDEX ix_entities_key ON entities(key);
CREATE INDEX ix_entities_type ON entities(type, mention_count);

-- What each document says about each entity it mentions; entities are re-derived from these rows.
CREATE TABLE document_entities (
    document_id   TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    entity_id     TEXT NOT NULL,
    key           TEXT NOT NULL,
    name          TEXT NOT NULL,
    type          TEXT NOT NULL,
    mention_count INTEGER NOT NULL,
    PRIMARY KEY (document_id, entity_id)
) STRICT;

CREATE INDEX ix_document_entities_entity ON document_entities(entity_id);

-- How many documents (and mentions) call each entity by each name and type: kept incrementally, so an entity's
-- name and type are re-chosen from a handful of rows rather than from every document that mentions it.
CREATE TABLE entity_votes (
    entity_id  TEXT NOT NULL,
    kind       TEXT NOT NULL,
    value      TEXT NOT NULL,
    documents  INTEGER NOT NULL,
    mentions   INTEGER NOT NULL,
    PRIMARY KEY (entity_id, kind, value)
) STRICT, WITHOUT ROWID;

-- Mention ids are derived from (document, span) and never looked up, so they carry no index of their own.
CREATE TABLE mentions (
    id            TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    document_id   TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    chunk_id      TEXT NOT NULL,
    start_offset  INTEGER NOT NULL,
    end_offset    INTEGER NOT NULL,
    text          TEXT NOT NULL,
    surface_key   TEXT NOT NULL,
    type          TEXT NOT NULL,
    resolution    TEXT NOT NULL
) STRICT;

CREATE INDEX ix_mentions_entity ON mentions(entity_id);
CREATE INDEX ix_mentions_document ON mentions(document_id);
CREATE INDEX ix_mentions_chunk ON mentions(chunk_id);
CREATE INDEX ix_mentions_surface ON mentions(surface_key);

CREATE TABLE relations (
    id              TEXT PRIMARY KEY NOT NULL,
    source_id       TEXT NOT NULL,
    target_id       TEXT NOT NULL,
    label           TEXT NOT NULL,
    weight          REAL NOT NULL,
    evidence_count  INTEGER NOT NULL
) STRICT;

CREATE INDEX ix_relations_source ON relations(source_id);
CREATE INDEX ix_relations_target ON relations(target_id);

-- Each evidence row repeats its relation's endpoints and label, so relations can be re-derived set-wise.
CREATE TABLE relation_evidence (
    relation_id   TEXT NOT NULL,
    source_id     TEXT NOT NULL,
    target_id     TEXT NOT NULL,
    label         TEXT NOT NULL,
    document_id   TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    chunk_id      TEXT NOT NULL,
    start_offset  INTEGER NOT NULL,
    end_offset    INTEGER NOT NULL,
    phrase        TEXT NOT NULL,
    weight        REAL NOT NULL
) STRICT;

CREATE INDEX ix_relation_evidence_relation ON relation_evidence(relation_id);
CREATE INDEX ix_relation_evidence_document ON relation_evidence(document_id);

PRAGMA user_version = 1;
