-- Files handed in for materials, content-addressed: the key is the SHA-256 of the
-- bytes, which the case's events record. (On SQLite they are files in the data
-- directory instead.)
CREATE TABLE files (
    sha256     TEXT PRIMARY KEY,
    media_type TEXT NOT NULL,
    size       BIGINT NOT NULL,
    content    BYTEA NOT NULL
);
