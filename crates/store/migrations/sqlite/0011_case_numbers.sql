-- Human-readable case numbers: the handling region's code, the day of submission and a
-- sequence per region and day (330211-20261130-00001), printed on documents and
-- messages and accepted by the progress lookup; the UUID stays internal.
ALTER TABLE cases ADD COLUMN number TEXT;
UPDATE cases SET number = (
    SELECT handling_region || '-' || replace(submitted_on, '-', '') || '-' || printf('%05d', n)
    FROM (SELECT id AS cid, row_number() OVER (PARTITION BY handling_region, submitted_on ORDER BY id) AS n FROM cases)
    WHERE cid = cases.id);
CREATE UNIQUE INDEX cases_number ON cases (number);
CREATE TABLE case_numbers (
    region TEXT NOT NULL,
    day    TEXT NOT NULL,
    last   INTEGER NOT NULL,
    PRIMARY KEY (region, day)
);
INSERT INTO case_numbers (region, day, last)
    SELECT handling_region, submitted_on, COUNT(*) FROM cases GROUP BY handling_region, submitted_on;
