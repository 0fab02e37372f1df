-- Every signal that could start a retraining, with what was decided and why.
CREATE TABLE retrain_trigger (
    seq         bigserial PRIMARY KEY,
    event_id    text        NOT NULL UNIQUE,
    model       text        NOT NULL,
    version     integer,
    kind        text        NOT NULL,
    received_at timestamptz NOT NULL,
    decision    text        NOT NULL,
    reason      text        NOT NULL
);
CREATE INDEX retrain_trigger_by_model ON retrain_trigger (model, seq);
