-- Online applications saved before they are sent: one draft per person (or employer)
-- and item, holding the files already kept (by hash) and the commitments ticked.
CREATE TABLE drafts (
    party      TEXT NOT NULL,
    item       TEXT NOT NULL,
    content    TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (party, item)
);
