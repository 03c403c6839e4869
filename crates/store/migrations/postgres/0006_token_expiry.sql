-- Tokens expire; staff can be disabled. Tokens issued before this migration live 30
-- days from their creation, as new ones do by default.
ALTER TABLE staff ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT NOT NULL DEFAULT '';
UPDATE api_tokens SET expires_at = to_char((created_at::timestamptz + interval '30 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"');
CREATE INDEX api_tokens_staff ON api_tokens (staff_id);
CREATE INDEX sessions_staff ON sessions (staff_id);
