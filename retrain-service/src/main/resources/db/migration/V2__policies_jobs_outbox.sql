-- Retrain policies: one per model, the whole policy as sent (normalised JSON), plus what the
-- trigger path and the schedule tick query.
CREATE TABLE retrain_policy (
    model        text PRIMARY KEY,
    enabled      boolean     NOT NULL,
    document     text        NOT NULL,
    schedule     text,
    next_fire_at timestamptz,
    revision     bigint      NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    updated_by   text        NOT NULL
);
CREATE INDEX retrain_policy_due ON retrain_policy (next_fire_at) WHERE enabled AND schedule IS NOT NULL;

-- Triggers: a redelivered event is recorded again, refused as a duplicate of the first; only the
-- first delivery of an event id may be anything but a duplicate.
ALTER TABLE retrain_trigger DROP CONSTRAINT retrain_trigger_event_id_key;
ALTER TABLE retrain_trigger
    ADD COLUMN rule         text,
    ADD COLUMN dedupe_key   text,
    ADD COLUMN duplicate_of bigint REFERENCES retrain_trigger (seq),
    ADD COLUMN job_id       uuid,
    ADD COLUMN actor        text,
    ADD COLUMN detail       text;
CREATE UNIQUE INDEX retrain_trigger_first_delivery ON retrain_trigger (event_id) WHERE duplicate_of IS NULL;
CREATE INDEX retrain_trigger_by_dedupe_key ON retrain_trigger (model, dedupe_key) WHERE dedupe_key IS NOT NULL;

-- Jobs: a persisted state machine (job.JobState). A running job is held by one worker under a lease
-- that its heartbeat renews; the reaper takes back jobs whose lease ran out.
CREATE TABLE retrain_job (
    id                   uuid PRIMARY KEY,
    model                text        NOT NULL,
    state                text        NOT NULL,
    trigger_seq          bigint      NOT NULL REFERENCES retrain_trigger (seq),
    trigger_kind         text        NOT NULL,
    created_by           text        NOT NULL,
    policy               text        NOT NULL,
    trainer              text        NOT NULL,
    runner               text        NOT NULL,
    data_from            timestamptz NOT NULL,
    data_to              timestamptz NOT NULL,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    state_entered_at     timestamptz NOT NULL,
    started_at           timestamptz,
    finished_at          timestamptz,
    attempt              integer     NOT NULL DEFAULT 0,
    attempt_started_at   timestamptz,
    not_before           timestamptz,
    lease_owner          text,
    lease_expires_at     timestamptz,
    heartbeat_at         timestamptz,
    cancel_requested_at  timestamptz,
    cancel_requested_by  text,
    dataset_name         text,
    dataset_version      text,
    base_dataset         text,
    base_dataset_version text,
    row_count            integer,
    train_rows           integer,
    holdout_rows         integer,
    champion_version     integer,
    candidate_version    integer,
    evaluation           text,
    reason               text,
    error                text,
    log_lines            integer     NOT NULL DEFAULT 0
);
CREATE INDEX retrain_job_by_model ON retrain_job (model, created_at DESC);
CREATE INDEX retrain_job_pending ON retrain_job (created_at) WHERE state = 'pending';
CREATE INDEX retrain_job_running ON retrain_job (lease_expires_at)
    WHERE state IN ('preparing-data', 'training', 'evaluating', 'registering');
ALTER TABLE retrain_trigger ADD CONSTRAINT retrain_trigger_job FOREIGN KEY (job_id) REFERENCES retrain_job (id);

CREATE TABLE retrain_job_transition (
    seq        bigserial PRIMARY KEY,
    job_id     uuid        NOT NULL REFERENCES retrain_job (id),
    from_state text,
    to_state   text        NOT NULL,
    at         timestamptz NOT NULL,
    reason     text
);
CREATE INDEX retrain_job_transition_by_job ON retrain_job_transition (job_id, seq);

CREATE TABLE retrain_job_log (
    seq     bigserial PRIMARY KEY,
    job_id  uuid        NOT NULL REFERENCES retrain_job (id),
    at      timestamptz NOT NULL,
    level   text        NOT NULL,
    message text        NOT NULL
);
CREATE INDEX retrain_job_log_by_job ON retrain_job_log (job_id, seq);

-- Transactional outbox (as in the registry): written with the change it announces, sent to
-- flywheel.retrain by outbox.OutboxRelay.
CREATE TABLE outbox_event (
    id         uuid PRIMARY KEY,
    event_key  text        NOT NULL,
    type       text        NOT NULL,
    payload    text        NOT NULL,
    created_at timestamptz NOT NULL,
    sent_at    timestamptz
);
CREATE INDEX outbox_event_unsent ON outbox_event (created_at) WHERE sent_at IS NULL;
