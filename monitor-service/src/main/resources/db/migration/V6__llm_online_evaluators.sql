-- Online evaluation (llm/online/OnlineEvaluation): per project, rules that score a sampled share of
-- the generations matching their filters with an evaluator (llm-eval's spec: type, name, params).
CREATE TABLE llm_online_evaluator (
    project          text             NOT NULL,
    name             text             NOT NULL,
    evaluator        jsonb            NOT NULL,
    sample_rate      double precision NOT NULL CHECK (sample_rate > 0 AND sample_rate <= 1),
    observation_name text,
    prompt_name      text,
    created_at       timestamptz      NOT NULL DEFAULT now(),
    updated_at       timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (project, name)
);
