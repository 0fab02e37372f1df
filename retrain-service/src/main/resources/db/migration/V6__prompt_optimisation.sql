-- Prompt optimisation (issue 16): a job that runs a prompt's production version and candidate versions as
-- experiments on one dataset, and registers the best candidate when it beats the baseline by the margin.
-- The request, the candidates (with their runs and means) and the decision's evidence are JSON text.
CREATE TABLE llm_prompt_optimisation (
    id                text PRIMARY KEY,
    project           text        NOT NULL,
    prompt_name       text        NOT NULL,
    dataset_name      text        NOT NULL,
    state             text        NOT NULL CHECK (state IN ('queued', 'running', 'promotion_requested', 'no_improvement', 'failed')),
    step              text,
    request           text        NOT NULL,
    score_name        text        NOT NULL,
    margin            double precision NOT NULL,
    baseline_version  integer     NOT NULL,
    baseline_run_id   text,
    baseline_mean     double precision,
    candidates        text,
    best_index        integer,
    best_mean         double precision,
    candidate_version integer,
    evidence          text,
    reason            text,
    error             text,
    trigger_kind      text        NOT NULL,
    trigger_event_id  text,
    dedupe_key        text,
    idempotency_key   text,
    created_by        text        NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    started_at        timestamptz,
    finished_at       timestamptz,
    UNIQUE (project, idempotency_key)
);
CREATE INDEX llm_prompt_optimisation_by_prompt ON llm_prompt_optimisation (project, prompt_name, created_at DESC);

-- One optimisation of a prompt at a time: two would both register candidates against the same baseline.
CREATE UNIQUE INDEX llm_prompt_optimisation_one_active ON llm_prompt_optimisation (project, prompt_name) WHERE state IN ('queued', 'running');

-- Optimisation policies: what an llm_score degradation of a prompt (monitor-service's quality.degraded) starts,
-- per project and prompt. The document is the optimisation's request without project and prompt, plus enabled
-- and cooldown, normalised as JSON text.
CREATE TABLE llm_prompt_optimisation_policy (
    project    text        NOT NULL,
    prompt     text        NOT NULL,
    document   text        NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text        NOT NULL,
    PRIMARY KEY (project, prompt)
);

-- Every llm_score degradation of a prompt that could start an optimisation, with the decision and why.
CREATE TABLE llm_prompt_optimisation_trigger (
    seq             bigserial PRIMARY KEY,
    project         text        NOT NULL,
    prompt          text        NOT NULL,
    version         integer,
    event_id        text        NOT NULL,
    dedupe_key      text        NOT NULL,
    received_at     timestamptz NOT NULL,
    decision        text        NOT NULL CHECK (decision IN ('accepted', 'refused')),
    rule            text,
    reason          text        NOT NULL,
    optimisation_id text
);
CREATE INDEX llm_prompt_optimisation_trigger_by_prompt ON llm_prompt_optimisation_trigger (project, prompt, seq DESC);
