-- Observation lists page by COALESCE(start_time, created_at) (llm/query/Queries), which the index on
-- start_time could not serve: a page of a project with 800,000 observations sorted them all (235 ms,
-- seen by ./flywheel bench llm). An index on the ordering itself, in place of the one on start_time.
DROP INDEX llm_observation_time;
CREATE INDEX llm_observation_time ON llm_observation (project, (COALESCE(start_time, created_at)) DESC, id DESC);
