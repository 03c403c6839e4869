-- The identity-read log is hash-chained like case events: each read names the hash of
-- the one before it, and `seq` orders them without gaps (unique, so two readers at
-- once cannot fork the chain). Reads from before this migration have no seq and are
-- reported as unchained by `audit verify`.
ALTER TABLE identity_reads ADD COLUMN seq BIGINT;
ALTER TABLE identity_reads ADD COLUMN prev_hash TEXT;
ALTER TABLE identity_reads ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX identity_reads_seq ON identity_reads (seq);

-- Signed checkpoints (HMAC with a key kept outside the database) over every case's
-- head, the event count, the guides and the identity-read log; each names the one
-- before it.
CREATE TABLE audit_checkpoints (
    seq  BIGINT PRIMARY KEY,
    body TEXT NOT NULL
);
