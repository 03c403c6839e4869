-- Staff accounts, API tokens (stored hashed), and the log of full identity-number reads.
CREATE TABLE staff (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    jurisdiction  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    staff_id   TEXT NOT NULL REFERENCES staff (id),
    created_at TEXT NOT NULL,
    revoked    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE identity_reads (
    staff_id TEXT NOT NULL,
    case_id  TEXT NOT NULL,
    at       TEXT NOT NULL,
    purpose  TEXT NOT NULL
);
CREATE INDEX identity_reads_at ON identity_reads (at);
