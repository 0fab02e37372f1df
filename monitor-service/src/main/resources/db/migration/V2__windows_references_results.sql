-- Windows replace the first per-version tallies: per Kafka partition of each checkpointed channel
-- (predictions, feedback), the next offset to read and the state up to it, saved together.
DROP TABLE prediction_tally;

CREATE TABLE stream_checkpoint (
    consumer_group_id text    NOT NULL,
    topic             text    NOT NULL,
    partition         integer NOT NULL,
    record_offset     bigint  NOT NULL,
    state             jsonb,
    PRIMARY KEY (consumer_group_id, topic, partition)
);

-- Fitted references: bin edges and counts per feature, per model version.
CREATE TABLE reference_profile (
    model     text        NOT NULL,
    version   integer     NOT NULL,
    profile   jsonb       NOT NULL,
    source    text        NOT NULL,
    fitted_at timestamptz NOT NULL,
    PRIMARY KEY (model, version)
);

-- Per-model monitoring policy (absent: the defaults).
CREATE TABLE monitor_policy (
    model      text PRIMARY KEY,
    policy     jsonb       NOT NULL,
    updated_at timestamptz NOT NULL
);

-- Predictions waiting for their label, and labels waiting for their prediction. Both sides upsert
-- by request id; joined_by says which side completed the pair, so that only that side folds it into
-- quality, also when it replays the record after a crash.
CREATE TABLE labelled_join (
    request_id      text PRIMARY KEY,
    model           text        NOT NULL,
    version         integer,
    prediction_time timestamptz,
    inputs          jsonb,
    output          jsonb,
    has_prediction  boolean     NOT NULL DEFAULT false,
    label           jsonb,
    labelled_at     timestamptz,
    joined_by       text,
    joined_at       timestamptz,
    exported        boolean     NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX labelled_join_unexported ON labelled_join (joined_at) WHERE joined_by IS NOT NULL AND NOT exported;
CREATE INDEX labelled_join_unmatched ON labelled_join (created_at) WHERE joined_by IS NULL;

-- Unmatched predictions and labels dropped after their wait, per model.
CREATE TABLE unmatched_count (
    model text   NOT NULL,
    side  text   NOT NULL,
    count bigint NOT NULL,
    PRIMARY KEY (model, side)
);

-- Drift and quality per window, a time series per model version (the open window is updated in place).
CREATE TABLE window_result (
    model          text             NOT NULL,
    version        integer          NOT NULL,
    window_start   timestamptz      NOT NULL,
    window_end     timestamptz      NOT NULL,
    evaluated_at   timestamptz      NOT NULL,
    samples        bigint           NOT NULL,
    share_drifted  double precision,
    dataset_drift  boolean,
    result         jsonb            NOT NULL,
    PRIMARY KEY (model, version, window_end)
);

-- What the monitor last said about each (model, version, kind, key): events only on a change.
CREATE TABLE alert_state (
    model      text        NOT NULL,
    version    integer     NOT NULL,
    kind       text        NOT NULL,
    key        text        NOT NULL,
    active     boolean     NOT NULL,
    changed_at timestamptz NOT NULL,
    evidence   jsonb,
    PRIMARY KEY (model, version, kind, key)
);
