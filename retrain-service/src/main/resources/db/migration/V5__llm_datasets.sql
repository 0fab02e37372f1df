-- LLM evaluation (issue 16): datasets of examples per LLM project, their items, runs over them (a
-- Langfuse SDK's run, or an experiment run here) and what each run produced per item. JSON values
-- (inputs, outputs, metadata) are stored as their text, as the rest of this schema does.
CREATE TABLE llm_dataset (
    id                     text PRIMARY KEY,
    project                text        NOT NULL,
    name                   text        NOT NULL,
    description            text,
    metadata               text,
    input_schema           text,
    expected_output_schema text,
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL,
    UNIQUE (project, name)
);

-- An item's id is the client's upsert key (Langfuse: unique per project, up to 255 characters).
CREATE TABLE llm_dataset_item (
    project               text        NOT NULL,
    id                    text        NOT NULL,
    dataset_id            text        NOT NULL REFERENCES llm_dataset (id) ON DELETE CASCADE,
    status                text        NOT NULL CHECK (status IN ('ACTIVE', 'ARCHIVED')),
    input                 text,
    expected_output       text,
    metadata              text,
    source_trace_id       text,
    source_observation_id text,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    PRIMARY KEY (project, id)
);
CREATE INDEX llm_dataset_item_by_dataset ON llm_dataset_item (dataset_id, created_at DESC, id);

-- A run: created implicitly by the first run item that names it (Langfuse), or by an experiment, which
-- also records the prompt it ran (a registry reference or the inline prompt), the model, the evaluators,
-- its settings, its status and its progress. Plain SDK runs have no status.
CREATE TABLE llm_dataset_run (
    id           text PRIMARY KEY,
    project      text        NOT NULL,
    dataset_id   text        NOT NULL REFERENCES llm_dataset (id) ON DELETE CASCADE,
    name         text        NOT NULL,
    description  text,
    metadata     text,
    prompt       text,
    model        text,
    evaluators   text,
    settings     text,
    status       text CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'partial')),
    items_total  integer,
    items_done   integer     NOT NULL DEFAULT 0,
    items_failed integer     NOT NULL DEFAULT 0,
    error        text,
    created_by   text,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    started_at   timestamptz,
    finished_at  timestamptz,
    UNIQUE (dataset_id, name)
);

-- One item's outcome in one run: the trace (and observation) it produced, and for experiments the output,
-- the scores, latency, tokens, or the error. One per item and run: a second link of the same item replaces it.
CREATE TABLE llm_dataset_run_item (
    id                text PRIMARY KEY,
    project           text        NOT NULL,
    run_id            text        NOT NULL REFERENCES llm_dataset_run (id) ON DELETE CASCADE,
    dataset_item_id   text        NOT NULL,
    trace_id          text,
    observation_id    text,
    output            text,
    scores            text,
    latency_ms        bigint,
    prompt_tokens     bigint,
    completion_tokens bigint,
    total_tokens      bigint,
    error             text,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    UNIQUE (run_id, dataset_item_id)
);
CREATE INDEX llm_dataset_run_item_by_project ON llm_dataset_run_item (project, created_at DESC);
