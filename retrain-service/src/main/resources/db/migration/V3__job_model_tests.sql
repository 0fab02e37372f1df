-- Model tests (modeltest/): the report of the policy's tests on the candidate, and the new running
-- state 'testing' among those the reaper looks at.
ALTER TABLE retrain_job ADD COLUMN model_tests text;

DROP INDEX retrain_job_running;
CREATE INDEX retrain_job_running ON retrain_job (lease_expires_at)
    WHERE state IN ('preparing-data', 'training', 'evaluating', 'testing', 'registering');
