-- Running totals kept as events are committed (a rating counted by region, hall, item
-- and month), so published figures are read, never recounted from the events.
CREATE TABLE counters (
    key   TEXT NOT NULL,
    name  TEXT NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (key, name)
);
