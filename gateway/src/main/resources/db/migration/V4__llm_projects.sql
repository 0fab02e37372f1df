-- LLM projects (Langfuse-compatible tracing) and their key pairs. A Langfuse client authenticates with
-- HTTP Basic public_key:secret_key; only the SHA-256 of the secret is kept, the pair is shown once.
CREATE TABLE llm_project (
    id         text PRIMARY KEY,
    name       text        NOT NULL UNIQUE,
    created_by text        NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE llm_key_pair (
    public_key  text PRIMARY KEY,
    project_id  text        NOT NULL REFERENCES llm_project (id),
    secret_hash bytea       NOT NULL,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);

CREATE INDEX llm_key_pair_project ON llm_key_pair (project_id);
