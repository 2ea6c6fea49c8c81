-- GraphRag embedded store, schema version 2: API keys and the audit log.
-- Neither table says anything about documents, so writing them never bumps meta.generation (which would throw away
-- cached graph snapshots and access scopes).

-- Only a hash of each key's secret is kept; the plaintext key is shown once, when it is created.
CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY NOT NULL,
    secret_hash  BLOB NOT NULL,
    principal    TEXT NOT NULL,
    groups       TEXT NOT NULL,  -- JSON array of group names
    grants       TEXT NOT NULL,  -- JSON array of grants
    created_at   TEXT NOT NULL,  -- ISO-8601 UTC
    revoked_at   TEXT            -- ISO-8601 UTC; NULL while the key is valid
) STRICT;

-- Who did what, when, with what outcome. details is a small JSON object of facts (counts, modes, ids), never
-- document text.
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,    -- ISO-8601 UTC, fixed width, so text order is time order
    principal  TEXT NOT NULL,
    action     TEXT NOT NULL,
    target     TEXT,
    outcome    TEXT NOT NULL,
    details    TEXT NOT NULL
) STRICT;

CREATE INDEX ix_audit_log_principal ON audit_log(principal, seq);
CREATE INDEX ix_audit_log_at ON audit_log(at);

PRAGMA user_version = 2;
