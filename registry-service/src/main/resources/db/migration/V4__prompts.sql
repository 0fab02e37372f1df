-- Prompts for LLM applications: named per project (Langfuse's project = a Flywheel LLM project, or
-- "default"), the name may hold '/' (folders). The type is fixed by the first version; tags belong
-- to the prompt (every version shows them); revision goes up with every change (a version, a label
-- move, new tags) and is part of the ETag of a fetched prompt.
CREATE TABLE prompt (
    project     text        NOT NULL,
    name        text        NOT NULL,
    type        text        NOT NULL CHECK (type IN ('text', 'chat')),
    tags        jsonb       NOT NULL DEFAULT '{"values": []}'::jsonb, -- {"values": [...]}: the reactive client reads jsonb objects only
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    revision    bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (project, name)
);
CREATE INDEX prompt_updated ON prompt (project, updated_at);

-- Immutable versions: a text prompt's template in prompt_text, a chat prompt's messages (and
-- placeholders) in messages. experiment_id: the experiment that justified the version (lineage).
CREATE TABLE prompt_version (
    project        text        NOT NULL,
    name           text        NOT NULL,
    version        integer     NOT NULL CHECK (version > 0),
    prompt_text    text,
    messages       jsonb, -- {"values": [...]}
    config         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    commit_message text,
    experiment_id  text,
    created_by     text        NOT NULL,
    created_at     timestamptz NOT NULL,
    PRIMARY KEY (project, name, version),
    FOREIGN KEY (project, name) REFERENCES prompt (project, name) ON DELETE CASCADE,
    CHECK ((prompt_text IS NULL) <> (messages IS NULL))
);
CREATE INDEX prompt_version_experiment ON prompt_version (experiment_id) WHERE experiment_id IS NOT NULL;

-- A version never changes (a version may be deleted, as Langfuse's DELETE does).
CREATE FUNCTION prompt_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'prompt version %/%/% is immutable', OLD.project, OLD.name, OLD.version
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER prompt_version_immutable BEFORE UPDATE ON prompt_version
    FOR EACH ROW EXECUTE FUNCTION prompt_version_immutable();

-- Labels: each on one version of the prompt at a time (the primary key); "latest" is derived, never stored.
CREATE TABLE prompt_label (
    project    text        NOT NULL,
    name       text        NOT NULL,
    label      text        NOT NULL CHECK (label <> 'latest'),
    version    integer     NOT NULL,
    updated_by text        NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (project, name, label),
    FOREIGN KEY (project, name, version) REFERENCES prompt_version (project, name, version) ON DELETE CASCADE
);
