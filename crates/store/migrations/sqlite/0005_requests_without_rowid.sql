-- Requests are small rows found only by their id: WITHOUT ROWID keeps each in one
-- B-tree (keyed by the id) instead of a rowid table plus an index on the id, so every
-- remembered request costs one B-tree insert instead of two.
CREATE TABLE requests_by_id (
    request_id TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL,
    response   TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO requests_by_id (request_id, case_id, response)
    SELECT request_id, case_id, response FROM requests;
DROP TABLE requests;
ALTER TABLE requests_by_id RENAME TO requests;
