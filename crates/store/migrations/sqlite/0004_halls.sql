-- Service halls (including halls inside bank outlets) and their windows. Every window
-- accepts every item (无差别受理); `skills` records which domains its clerk masters.
CREATE TABLE halls (
    id      TEXT PRIMARY KEY,
    region  TEXT NOT NULL,
    name    TEXT NOT NULL,
    kind    TEXT NOT NULL,
    address TEXT NOT NULL
);
CREATE INDEX halls_region ON halls (region);

CREATE TABLE windows (
    hall_id TEXT NOT NULL REFERENCES halls (id),
    number  BIGINT NOT NULL,
    label   TEXT NOT NULL,
    PRIMARY KEY (hall_id, number)
);
