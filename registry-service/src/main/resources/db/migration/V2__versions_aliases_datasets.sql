-- Tag filters on models use jsonb containment (tags @> '{"team":"growth"}').
CREATE INDEX model_tags ON model USING gin (tags jsonb_path_ops);

-- Datasets: named containers of content-addressed versions.
CREATE TABLE dataset (
    name        text PRIMARY KEY,
    description text        NOT NULL DEFAULT '',
    tags        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    revision    bigint      NOT NULL DEFAULT 0
);

-- A dataset version is identified by the SHA-256 of its full content; its bytes are the blob
-- blobs/sha256/<id>. The same content uploaded again is the same version.
CREATE TABLE dataset_version (
    dataset      text        NOT NULL REFERENCES dataset (name),
    id           text        NOT NULL CHECK (id ~ '^[0-9a-f]{64}$'),
    format       text        NOT NULL CHECK (format IN ('csv', 'jsonl')),
    content_type text        NOT NULL,
    row_count    bigint      NOT NULL CHECK (row_count >= 0),
    size_bytes   bigint      NOT NULL CHECK (size_bytes >= 0),
    column_schema jsonb      NOT NULL, -- {"columns": [{"name", "type", "nullable"}]}
    created_by   text        NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (dataset, id)
);
CREATE INDEX dataset_version_newest ON dataset_version (dataset, created_at DESC, id DESC);

-- Model versions: drafts until their artifact is stored, then immutable (see the trigger below).
CREATE TABLE model_version (
    model                 text        NOT NULL REFERENCES model (name),
    version               integer     NOT NULL CHECK (version > 0),
    status                text        NOT NULL CHECK (status IN ('draft', 'ready')),
    description           text        NOT NULL DEFAULT '',
    framework             text,
    format                text,
    signature             jsonb,
    metrics               jsonb       NOT NULL DEFAULT '{}'::jsonb,
    params                jsonb       NOT NULL DEFAULT '{}'::jsonb,
    tags                  jsonb       NOT NULL DEFAULT '{}'::jsonb,
    -- lineage: {"refs": [{"dataset": ..., "id": ...}]}, code, the retrain job, the version it derives from
    dataset_versions      jsonb       NOT NULL DEFAULT '{"refs": []}'::jsonb,
    code_repository       text,
    code_commit           text,
    retrain_job           text,
    parent_version        integer,
    artifact_sha256       text CHECK (artifact_sha256 ~ '^[0-9a-f]{64}$'),
    artifact_size         bigint CHECK (artifact_size >= 0),
    artifact_content_type text,
    idempotency_key       text,
    created_by            text        NOT NULL,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    finalised_at          timestamptz,
    revision              bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (model, version),
    UNIQUE (model, idempotency_key),
    FOREIGN KEY (model, parent_version) REFERENCES model_version (model, version),
    CHECK (parent_version < version),
    CHECK ((status = 'ready') = (artifact_sha256 IS NOT NULL AND artifact_size IS NOT NULL AND finalised_at IS NOT NULL))
);
CREATE INDEX model_version_children ON model_version (model, parent_version) WHERE parent_version IS NOT NULL;
CREATE INDEX model_version_datasets ON model_version USING gin (dataset_versions jsonb_path_ops);

-- The service already refuses these changes (409); the database refuses them too, so no code path
-- (or hand-written SQL) can alter a finalised version.
CREATE FUNCTION model_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status = 'ready' THEN
            RAISE EXCEPTION 'model version %/% is finalised and can not be deleted', OLD.model, OLD.version
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status = 'ready' AND (NEW.model, NEW.version, NEW.status, NEW.framework, NEW.format, NEW.signature,
            NEW.metrics, NEW.params, NEW.dataset_versions, NEW.code_repository, NEW.code_commit, NEW.retrain_job,
            NEW.parent_version, NEW.artifact_sha256, NEW.artifact_size, NEW.artifact_content_type,
            NEW.created_at, NEW.finalised_at)
        IS DISTINCT FROM (OLD.model, OLD.version, OLD.status, OLD.framework, OLD.format, OLD.signature,
            OLD.metrics, OLD.params, OLD.dataset_versions, OLD.code_repository, OLD.code_commit, OLD.retrain_job,
            OLD.parent_version, OLD.artifact_sha256, OLD.artifact_size, OLD.artifact_content_type,
            OLD.created_at, OLD.finalised_at) THEN
        RAISE EXCEPTION 'model version %/% is finalised: only its description and tags can change', OLD.model, OLD.version
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER model_version_immutable BEFORE UPDATE OR DELETE ON model_version
    FOR EACH ROW EXECUTE FUNCTION model_version_immutable();

-- Aliases point at a ready version; revision is the ETag that If-Match compares.
CREATE TABLE model_alias (
    model      text        NOT NULL REFERENCES model (name),
    alias      text        NOT NULL,
    version    integer     NOT NULL,
    updated_by text        NOT NULL,
    updated_at timestamptz NOT NULL,
    revision   bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (model, alias),
    FOREIGN KEY (model, version) REFERENCES model_version (model, version)
);

-- Every move of an alias, kept for good: from, to (null when deleted), when, who, why.
CREATE TABLE alias_move (
    seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model        text        NOT NULL REFERENCES model (name),
    alias        text        NOT NULL,
    from_version integer,
    to_version   integer,
    moved_by     text        NOT NULL,
    reason       text,
    moved_at     timestamptz NOT NULL
);
CREATE INDEX alias_move_history ON alias_move (model, alias, seq DESC);
