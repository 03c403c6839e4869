-- Aggregates beside the case (a hall's day; ratings and complaints to come): each an
-- event stream, hash-chained like a case's events, with its projection and version.
CREATE TABLE streams (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    version    BIGINT NOT NULL,
    head_hash  TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    snapshot   TEXT NOT NULL
);
CREATE INDEX streams_kind ON streams (kind, id);

CREATE TABLE stream_events (
    stream_id TEXT NOT NULL,
    seq       BIGINT NOT NULL,
    at        TEXT NOT NULL,
    kind      TEXT NOT NULL,
    actor     TEXT NOT NULL,
    event     TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL,
    PRIMARY KEY (stream_id, seq)
);

-- Each staff member's level per project (一岗精、二岗通、三岗懂), with the day it was
-- given and the training or assessment it came from.
CREATE TABLE staff_skills (
    staff_id TEXT NOT NULL,
    project  TEXT NOT NULL,
    level    TEXT NOT NULL,
    since    TEXT NOT NULL,
    source   TEXT NOT NULL,
    PRIMARY KEY (staff_id, project)
);
