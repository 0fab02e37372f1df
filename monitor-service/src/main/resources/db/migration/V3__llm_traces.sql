-- LLM observability (Langfuse's data model): traces, their observations and scores, per project.
-- Messages merge field by field in any order (llm/merge/Fields): a column keeps its value until a
-- message sends that field received no earlier; field_times[i] is the received_at (µs since the epoch)
-- of the value kept in the i-th merged column (llm/TraceColumns), NULL while no message sent it.

CREATE TABLE llm_trace (
    project            text        NOT NULL,
    id                 text        NOT NULL,
    timestamp          timestamptz,
    name               text,
    user_id            text,
    session_id         text,
    release            text,
    version            text,
    environment        text,
    tags               text[],
    public             boolean,
    input              jsonb,
    output             jsonb,
    metadata           jsonb,
    field_times        bigint[],
    -- from its observations, recomputed whenever one of them is stored
    observation_count  integer     NOT NULL DEFAULT 0,
    observations_start timestamptz,
    observations_end   timestamptz,
    latency_ms         double precision,
    total_cost         numeric,
    input_tokens       bigint,
    output_tokens      bigint,
    total_tokens       bigint,
    models             text[],
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    -- the trace's time: its own timestamp, else its first observation's start, else when it was first stored
    ts                 timestamptz GENERATED ALWAYS AS (COALESCE(timestamp, observations_start, created_at)) STORED,
    PRIMARY KEY (project, id)
);
CREATE INDEX llm_trace_time ON llm_trace (project, ts DESC, id DESC);
CREATE INDEX llm_trace_session ON llm_trace (project, session_id, ts) WHERE session_id IS NOT NULL;
CREATE INDEX llm_trace_user ON llm_trace (project, user_id, ts DESC) WHERE user_id IS NOT NULL;
CREATE INDEX llm_trace_name ON llm_trace (project, name, ts DESC);
CREATE INDEX llm_trace_tags ON llm_trace USING gin (tags);
CREATE INDEX llm_trace_models ON llm_trace USING gin (models);

CREATE TABLE llm_observation (
    project                 text        NOT NULL,
    id                      text        NOT NULL,
    trace_id                text,
    type                    text,
    parent_observation_id   text,
    name                    text,
    start_time              timestamptz,
    end_time                timestamptz,
    completion_start_time   timestamptz,
    model                   text,
    model_parameters        jsonb,
    input                   jsonb,
    output                  jsonb,
    metadata                jsonb,
    level                   text,
    status_message          text,
    version                 text,
    environment             text,
    usage_details           jsonb,
    cost_details            jsonb,       -- as the client gave it (USD by usage kind)
    prompt_name             text,
    prompt_version          integer,
    field_times             bigint[],
    -- derived after every merge (llm/cost): tokens from usage_details, the cost from the price table
    -- when the client gave none; total_cost is the given total, else the calculated one
    input_tokens            bigint,
    output_tokens           bigint,
    total_tokens            bigint,
    calculated_cost_details jsonb,
    given_total_cost        numeric,
    calculated_total_cost   numeric,
    total_cost              numeric,
    cost_source             text,        -- 'given', 'calculated' or NULL (no cost known)
    price_model             text,        -- the price table row used: its model and valid_from
    price_valid_from        timestamptz,
    latency_ms              double precision,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project, id)
);
CREATE INDEX llm_observation_trace ON llm_observation (project, trace_id);
CREATE INDEX llm_observation_time ON llm_observation (project, start_time DESC, id DESC);
CREATE INDEX llm_observation_model ON llm_observation (project, model) WHERE model IS NOT NULL;

CREATE TABLE llm_score (
    project         text             NOT NULL,
    id              text             NOT NULL,
    name            text             NOT NULL,
    trace_id        text,
    observation_id  text,
    session_id      text,
    dataset_run_id  text,
    value           double precision,
    string_value    text,
    data_type       text             NOT NULL,
    source          text             NOT NULL,
    comment         text,
    metadata        jsonb,
    config_id       text,
    environment     text,
    timestamp       timestamptz      NOT NULL,
    received_at     timestamptz      NOT NULL,
    created_at      timestamptz      NOT NULL DEFAULT now(),
    updated_at      timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (project, id)
);
CREATE INDEX llm_score_time ON llm_score (project, timestamp DESC, id DESC);
CREATE INDEX llm_score_trace ON llm_score (project, trace_id) WHERE trace_id IS NOT NULL;
CREATE INDEX llm_score_session ON llm_score (project, session_id) WHERE session_id IS NOT NULL;

-- Event ids already stored (project/ce_id), written in the same transaction as what they changed:
-- a redelivered event is counted once. Pruned after monitor.llm.dedupe-retention.
CREATE TABLE llm_event_log (
    event_key text        PRIMARY KEY,
    seen_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX llm_event_log_seen ON llm_event_log (seen_at);
