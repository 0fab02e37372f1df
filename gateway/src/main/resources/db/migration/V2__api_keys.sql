-- API keys: the SHA-256 of the secret part only; the key is shown once, at creation.
CREATE TABLE api_key (
    id          text PRIMARY KEY,
    name        text        NOT NULL,
    secret_hash bytea       NOT NULL,
    roles       text        NOT NULL,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz,
    revoked_at  timestamptz
);
