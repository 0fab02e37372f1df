-- Each model's promotion policy (deploy-service/README.md, "Promotion policy"): the document as the
-- API took it, with its defaults written out. `revision` is the ETag; every PUT bumps it.
CREATE TABLE promotion_policy (
    model      text PRIMARY KEY,
    document   jsonb       NOT NULL,
    revision   bigint      NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text        NOT NULL
);
