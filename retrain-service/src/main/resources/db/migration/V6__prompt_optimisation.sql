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
