-- Deploy's read model of the registry: the models it has heard of through flywheel.registry.
CREATE TABLE known_model (
    name          text PRIMARY KEY,
    registered_at timestamptz NOT NULL,
    event_id      text        NOT NULL
);
