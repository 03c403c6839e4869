-- The follow-ups of poor ratings as a list to work from (a read model of the rating
-- files, written with their events): open ones by region and deadline.
CREATE TABLE rating_follow_ups (
    file       TEXT NOT NULL,
    stage      TEXT NOT NULL,
    region     TEXT NOT NULL,
    level      TEXT NOT NULL,
    rated_at   TEXT NOT NULL,
    contact_by TEXT NOT NULL,
    close_by   TEXT NOT NULL,
    contacted  INTEGER NOT NULL,
    closed     INTEGER NOT NULL,
    appeal     TEXT NOT NULL,
    PRIMARY KEY (file, stage)
);
CREATE INDEX rating_follow_ups_open ON rating_follow_ups (closed, region, close_by);
