-- A request id is answered from here only for the same caller and the same request:
-- who sent it (the staff id or trusted actor) and a fingerprint of the canonical
-- request (for commands it includes the case). Rows from before have neither and are
-- never replayed to anyone but an exact match, which they cannot give.
ALTER TABLE requests ADD COLUMN caller TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
