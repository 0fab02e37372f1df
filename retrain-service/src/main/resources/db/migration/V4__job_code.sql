-- A trainer's code in git (policy trainer.code): the repository, branch and commit a job trains at.
-- A code trigger sets the commit when the job is created; any other trigger leaves it null and the
-- job fills it with the branch's head when it checks the code out.
ALTER TABLE retrain_job
    ADD COLUMN code_repository text,
    ADD COLUMN code_branch     text,
    ADD COLUMN code_commit     text;
