-- Ingest requests that carried an Idempotency-Key: a retry of the same key is answered from here
-- instead of publishing the records again.
CREATE TABLE ingest_batch (
    idempotency_key text PRIMARY KEY,
    kind            text        NOT NULL,
    records         integer     NOT NULL,
    accepted_at     timestamptz NOT NULL
);
