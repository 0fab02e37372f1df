-- Models: the named containers of versions.
CREATE TABLE model (
    name        text PRIMARY KEY,
    description text        NOT NULL DEFAULT '',
    tags        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    archived    boolean     NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    revision    bigint      NOT NULL DEFAULT 0
);

-- Transactional outbox: written in the same transaction as the change it announces, sent to
-- Kafka afterwards by OutboxRelay, so a crash between commit and send loses nothing.
CREATE TABLE outbox_event (
    id          uuid PRIMARY KEY,
    event_key   text        NOT NULL,
    type        text        NOT NULL,
    payload     jsonb       NOT NULL,
    created_at  timestamptz NOT NULL,
    sent_at     timestamptz
);
CREATE INDEX outbox_event_unsent ON outbox_event (created_at) WHERE sent_at IS NULL;
