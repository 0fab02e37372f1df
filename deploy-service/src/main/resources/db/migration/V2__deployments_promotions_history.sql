-- What serves each model in each environment. One row per (model, environment), written step by
-- step: a canary's step, when it began and the candidate's sample count then are all here, so a
-- restarted deploy carries on from the recorded step. `revision` is the ETag; every change bumps it.
CREATE TABLE deployment (
    model                 text        NOT NULL,
    environment           text        NOT NULL,
    primary_version       integer,
    primary_since         timestamptz,
    candidate_version     integer,
    candidate_strategy    text CHECK (candidate_strategy IN ('canary', 'shadow')),
    candidate_step        integer     NOT NULL DEFAULT 0,
    candidate_since       timestamptz,
    step_started_at       timestamptz,
    step_samples_at_start bigint      NOT NULL DEFAULT 0,
    canary_policy         jsonb,
    promotion_id          text,
    previous_versions     jsonb       NOT NULL,
    strategy              text,
    revision              bigint      NOT NULL,
    updated_at            timestamptz NOT NULL,
    updated_by            text        NOT NULL,
    PRIMARY KEY (model, environment)
);
CREATE INDEX deployment_running_rollouts ON deployment (environment) WHERE candidate_version IS NOT NULL;

-- Every change and every refusal: promotion steps, rollbacks, failed gates, approvals asked for.
CREATE TABLE deployment_history (
    id           bigserial PRIMARY KEY,
    model        text        NOT NULL,
    environment  text        NOT NULL,
    action       text        NOT NULL,
    version      integer,
    strategy     text,
    live         jsonb       NOT NULL,
    actor        text        NOT NULL,
    reason       text,
    summary      text        NOT NULL,
    evidence     jsonb       NOT NULL,
    promotion_id text,
    revision     bigint      NOT NULL,
    at           timestamptz NOT NULL
);
CREATE INDEX deployment_history_by_environment ON deployment_history (model, environment, id DESC);

-- Promotion requests (API or retrain's promotion.requested) with their gate results.
CREATE TABLE promotion (
    id              text PRIMARY KEY,
    model           text        NOT NULL,
    environment     text        NOT NULL,
    version         integer     NOT NULL,
    strategy        text        NOT NULL,
    reason          text,
    requested_by    text        NOT NULL,
    source          text        NOT NULL,
    source_event_id text UNIQUE,
    idempotency_key text,
    status          text        NOT NULL,
    checks          jsonb       NOT NULL,
    canary_policy   jsonb,
    evidence        jsonb       NOT NULL,
    created_at      timestamptz NOT NULL,
    decided_at      timestamptz,
    decided_by      text,
    UNIQUE (model, environment, idempotency_key)
);
CREATE INDEX promotion_awaiting ON promotion (model, environment) WHERE status = 'awaiting-approval';

-- The monitor's verdicts on versions (drift.detected, quality.degraded, recovered), once per event.
CREATE TABLE monitor_signal (
    event_id    text PRIMARY KEY,
    model       text        NOT NULL,
    version     integer     NOT NULL,
    signal      text        NOT NULL CHECK (signal IN ('degraded', 'recovered')),
    kind        text        NOT NULL,
    detail      text        NOT NULL,
    evidence    jsonb       NOT NULL,
    detected_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL
);
CREATE INDEX monitor_signal_by_version ON monitor_signal (model, version, received_at);

-- Predictions served per version and environment (the serving runtime adds its counts every second).
CREATE TABLE served_samples (
    model           text        NOT NULL,
    environment     text        NOT NULL,
    version         integer     NOT NULL,
    samples         bigint      NOT NULL,
    first_served_at timestamptz NOT NULL,
    last_served_at  timestamptz NOT NULL,
    PRIMARY KEY (model, environment, version)
);

-- The registry's champion alias follows production: written with the change, moved by a relay
-- (with If-Match) until the registry has it, so a registry outage delays the move but never loses it.
CREATE TABLE champion_sync (
    id         bigserial PRIMARY KEY,
    model      text        NOT NULL,
    version    integer     NOT NULL,
    actor      text        NOT NULL,
    reason     text        NOT NULL,
    created_at timestamptz NOT NULL,
    done_at    timestamptz,
    attempts   integer     NOT NULL DEFAULT 0,
    last_error text
);
CREATE INDEX champion_sync_pending ON champion_sync (model, id) WHERE done_at IS NULL;

-- Transactional outbox for flywheel.deploy, as in registry-service.
CREATE TABLE outbox_event (
    id          uuid PRIMARY KEY,
    event_key   text        NOT NULL,
    type        text        NOT NULL,
    payload     jsonb       NOT NULL,
    created_at  timestamptz NOT NULL,
    sent_at     timestamptz
);
CREATE INDEX outbox_event_unsent ON outbox_event (created_at) WHERE sent_at IS NULL;
