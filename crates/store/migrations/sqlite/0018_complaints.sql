-- Complaints as lists to work from (a read model of the complaint streams, written
-- with their events): open ones by region and deadline, and each person's own.
CREATE TABLE complaints (
    number   TEXT PRIMARY KEY,
    region   TEXT NOT NULL,
    party    TEXT NOT NULL,
    target   TEXT NOT NULL,
    channel  TEXT NOT NULL,
    state    TEXT NOT NULL,
    round    BIGINT NOT NULL,
    filed_at TEXT NOT NULL,
    reply_by TEXT NOT NULL,
    verdict  TEXT NOT NULL
);
CREATE INDEX complaints_open ON complaints (region, reply_by);
CREATE INDEX complaints_party ON complaints (party, filed_at);
