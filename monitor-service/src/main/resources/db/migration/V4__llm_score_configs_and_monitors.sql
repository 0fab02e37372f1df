-- Score configs (Langfuse's ScoreConfig), per project: a score that names one by config_id is checked
-- against it before it is stored (llm/score/ScoreValidation).
CREATE TABLE llm_score_config (
    project     text             NOT NULL,
    id          text             NOT NULL,
    name        text             NOT NULL,
    data_type   text             NOT NULL,
    is_archived boolean          NOT NULL DEFAULT false,
    min_value   double precision,
    max_value   double precision,
    categories  jsonb,           -- [{"value": number, "label": text}] for CATEGORICAL and BOOLEAN
    description text,
    created_at  timestamptz      NOT NULL DEFAULT now(),
    updated_at  timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (project, id)
);
CREATE INDEX llm_score_config_created ON llm_score_config (project, created_at DESC, id);

-- the score series and monitors read one score name of a project over a time range
CREATE INDEX llm_score_name_time ON llm_score (project, name, timestamp);
CREATE INDEX llm_observation_prompt ON llm_observation (project, prompt_name, prompt_version) WHERE prompt_name IS NOT NULL;

-- How a score's distribution is watched per prompt version or per model (llm/score/ScoreMonitorPolicy).
CREATE TABLE llm_score_monitor (
    project          text             NOT NULL,
    score_name       text             NOT NULL,
    group_by         text             NOT NULL,   -- prompt | model
    window_seconds   bigint           NOT NULL,
    min_count        integer          NOT NULL,
    min_mean         double precision,
    max_drop         double precision,
    drift_alpha      double precision,
    baseline         text             NOT NULL,   -- previous_window | previous_version
    lookback_windows integer          NOT NULL,
    updated_at       timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (project, score_name, group_by)
);

-- Degradations found, one per monitor, group and window: the row is written before its event is sent
-- (sent = false until Kafka took it), so a window is reported once, and again only after a failed send.
CREATE TABLE llm_score_degradation (
    project      text        NOT NULL,
    score_name   text        NOT NULL,
    group_by     text        NOT NULL,
    group_key    text        NOT NULL,
    window_start timestamptz NOT NULL,
    event_id     text        NOT NULL,
    event_key    text        NOT NULL,
    payload      jsonb       NOT NULL,
    sent         boolean     NOT NULL DEFAULT false,
    detected_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project, score_name, group_by, group_key, window_start)
);
CREATE INDEX llm_score_degradation_unsent ON llm_score_degradation (detected_at) WHERE NOT sent;
