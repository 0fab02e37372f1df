-- Prompt rollouts (deploy-service/README.md, "Prompt rollouts"): a canary of sessions between the
-- version holding a prompt's `production` label (baseline) and a candidate, judged on online scores.
-- Everything the judge needs is in the row (its frozen policy, when it started), so a restarted
-- deploy carries it on. At most one runs per prompt.
CREATE TABLE prompt_rollout (
    seq                bigserial PRIMARY KEY,
    id                 uuid        NOT NULL UNIQUE,
    project            text        NOT NULL,
    prompt             text        NOT NULL,
    candidate_version  integer     NOT NULL,
    baseline_version   integer,
    score_name         text        NOT NULL,
    status             text        NOT NULL CHECK (status IN ('running', 'promoted', 'rolled-back', 'refused')),
    policy             jsonb       NOT NULL,
    started_by         text        NOT NULL,
    source             text        NOT NULL,
    source_event_id    text UNIQUE,
    job_id             text,
    experiment_id      text,
    reason             text,
    request_evidence   jsonb       NOT NULL,
    started_at         timestamptz NOT NULL,
    ended_at           timestamptz,
    ended_by           text,
    end_reason         text,
    judgement          jsonb,
    judged_at          timestamptz,
    -- the registry's labels follow the status (canary on the candidate while running; production moved on
    -- promotion; canary removed at the end), moved by a relay until the registry has them
    labels_synced      boolean     NOT NULL DEFAULT false,
    label_attempts     integer     NOT NULL DEFAULT 0,
    label_error        text
);
CREATE UNIQUE INDEX prompt_rollout_one_running ON prompt_rollout (project, prompt) WHERE status = 'running';
CREATE INDEX prompt_rollout_by_prompt ON prompt_rollout (project, prompt, seq DESC);
CREATE INDEX prompt_rollout_labels_pending ON prompt_rollout (seq) WHERE NOT labels_synced;

-- Each rollout's changes (started, promoted, rolled-back, refused) with the evidence they were decided on.
CREATE TABLE prompt_rollout_history (
    id         bigserial PRIMARY KEY,
    rollout_id uuid        NOT NULL REFERENCES prompt_rollout (id),
    action     text        NOT NULL,
    actor      text        NOT NULL,
    reason     text,
    evidence   jsonb       NOT NULL,
    at         timestamptz NOT NULL
);
CREATE INDEX prompt_rollout_history_by_rollout ON prompt_rollout_history (rollout_id, id);

-- A prompt's rollout policy (PUT .../prompts/{name}/policy); absent fields take deploy.prompt.* defaults.
CREATE TABLE prompt_rollout_policy (
    project    text        NOT NULL,
    prompt     text        NOT NULL,
    document   jsonb       NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text        NOT NULL,
    PRIMARY KEY (project, prompt)
);

-- The monitor's quality.degraded of kind llm_score that name a prompt version, once per event.
CREATE TABLE prompt_signal (
    event_id       text PRIMARY KEY,
    project        text        NOT NULL,
    prompt         text        NOT NULL,
    version        integer     NOT NULL,
    score_name     text,
    detail         text        NOT NULL,
    evidence       jsonb       NOT NULL,
    received_at    timestamptz NOT NULL
);
CREATE INDEX prompt_signal_by_version ON prompt_signal (project, prompt, version, received_at);
