-- Human-readable case numbers: the handling region's code, the day of submission and a
-- sequence per region and day (330211-20261130-00001), printed on documents and
-- messages and accepted by the progress lookup; the UUID stays internal.
ALTER TABLE cases ADD COLUMN number TEXT;
UPDATE cases c SET number = c.handling_region || '-' || replace(c.submitted_on, '-', '') || '-' || lpad(n.n::text, 5, '0')
    FROM (SELECT id, row_number() OVER (PARTITION BY handling_region, submitted_on ORDER BY id) AS n FROM cases) n
    WHERE n.id = c.id;
CREATE UNIQUE INDEX cases_number ON cases (number);
CREATE TABLE case_numbers (
    region TEXT NOT NULL,
    day    TEXT NOT NULL,
    last   BIGINT NOT NULL,
    PRIMARY KEY (region, day)
);
INSERT INTO case_numbers (region, day, last)
    SELECT handling_region, submitted_on, COUNT(*) FROM cases GROUP BY handling_region, submitted_on;
