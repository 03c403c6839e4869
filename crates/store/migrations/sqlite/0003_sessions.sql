-- Login sessions for pages: the cookie's hash, whose session it is, its CSRF token
-- (sent back in every form) and when it expires.
CREATE TABLE sessions (
    session_hash TEXT PRIMARY KEY,
    staff_id     TEXT NOT NULL REFERENCES staff (id),
    csrf         TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
