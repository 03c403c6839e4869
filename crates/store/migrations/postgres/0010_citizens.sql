-- The applicant and agent of each case (identity number or credit code), so a person
-- or an employer can list their own cases; filled in for the cases already stored.
ALTER TABLE cases ADD COLUMN applicant TEXT;
ALTER TABLE cases ADD COLUMN agent TEXT;
UPDATE cases SET applicant = snapshot::jsonb -> 'applicant' ->> 'id',
                 agent = snapshot::jsonb -> 'agent' ->> 'id';
CREATE INDEX cases_applicant ON cases (applicant);
CREATE INDEX cases_agent ON cases (agent) WHERE agent IS NOT NULL;

-- Sign-in sessions of citizens and employers on the public pages: the cookie's hash,
-- who signed in (a person, or an employer with the agent acting for it), how (the
-- identity provider, or the demo), the CSRF token of their forms, and the expiry.
CREATE TABLE citizen_sessions (
    session_hash TEXT PRIMARY KEY,
    party_kind   TEXT NOT NULL,
    party        TEXT NOT NULL,
    agent        TEXT,
    name         TEXT NOT NULL,
    method       TEXT NOT NULL,
    csrf         TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX citizen_sessions_expiry ON citizen_sessions (expires_at);
