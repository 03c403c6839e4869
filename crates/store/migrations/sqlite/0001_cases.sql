-- Case events (append-only, hash-chained per case) and the projection of each case.
CREATE TABLE cases (
    id                 TEXT PRIMARY KEY,
    item               TEXT NOT NULL,
    state              TEXT NOT NULL,
    version            INTEGER NOT NULL,
    head_hash          TEXT NOT NULL,
    accepting_region   TEXT NOT NULL,
    handling_region    TEXT NOT NULL,
    channel            TEXT NOT NULL,
    guide_version      INTEGER NOT NULL,
    guide_hash         TEXT NOT NULL,
    -- 1 while the clock runs (not terminal, not suspended): warnings list only these.
    running            INTEGER NOT NULL,
    deadline           TEXT,
    yellow_from        TEXT,
    statutory_deadline TEXT,
    submitted_on       TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    snapshot           TEXT NOT NULL
);
CREATE INDEX cases_running_deadline ON cases (running, deadline);
CREATE INDEX cases_running_yellow ON cases (running, yellow_from);
CREATE INDEX cases_state ON cases (state, deadline);
CREATE INDEX cases_handling_region ON cases (handling_region, deadline);

CREATE TABLE case_events (
    case_id    TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    at         TEXT NOT NULL,
    kind       TEXT NOT NULL,
    actor      TEXT NOT NULL,
    from_state TEXT,
    to_state   TEXT,
    event      TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
);

-- Idempotency: a retried request returns its first result.
CREATE TABLE requests (
    request_id TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL,
    response   TEXT NOT NULL
);

-- Each resolved guide a case runs under, stored once by its content hash.
CREATE TABLE guides (
    hash  TEXT PRIMARY KEY,
    guide TEXT NOT NULL
);
