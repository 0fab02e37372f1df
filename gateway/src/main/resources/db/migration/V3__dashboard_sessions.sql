-- The dashboard's sessions: its cookie holds a random session id, never a key. Only the id's SHA-256
-- is stored, with the key the session was opened with, so revoking that key ends its sessions too.
CREATE TABLE dashboard_session (
    id_hash    bytea PRIMARY KEY,
    key_id     text        NOT NULL REFERENCES api_key (id),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX dashboard_session_expiry ON dashboard_session (expires_at);
