-- The outbox: a message to the applicant for each event they should know about,
-- written in the same transaction as the event, then delivered by the server's sender
-- (a webhook to the operator's SMS gateway) with retries. One message per event.
CREATE TABLE messages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id         TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    recipient       TEXT NOT NULL,
    kind            TEXT NOT NULL,
    message         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    UNIQUE (case_id, seq)
);
CREATE INDEX messages_due ON messages (next_attempt_at) WHERE sent_at IS NULL;
CREATE INDEX messages_recipient ON messages (recipient, id);
