-- Model formats (docs/CONTRACTS.md "Model formats"): flywheel-linear, onnx, external.

-- The first trainers sent format 'json' or none: both mean flywheel-linear. Ready versions are frozen by
-- model_version_immutable, so the trigger is off for this one rewrite of a name (same meaning, same bytes).
ALTER TABLE model_version DISABLE TRIGGER model_version_immutable;
UPDATE model_version SET format = 'flywheel-linear' WHERE format IS NULL OR format = 'json';
ALTER TABLE model_version ENABLE TRIGGER model_version_immutable;
ALTER TABLE model_version ALTER COLUMN format SET DEFAULT 'flywheel-linear';

-- onnx: the graph an ONNX upload declared ({"ir_version", "producer", "opsets", "inputs", "outputs"}).
-- endpoint: an external version's {"url", "auth": {"header", "secret_ref"}}.
ALTER TABLE model_version ADD COLUMN onnx jsonb, ADD COLUMN endpoint jsonb;

-- The rules below hold for every version registered from now on. Before, the API took any token as a
-- format ('bin', even 'external' for a version with an artifact), and such a legacy row is frozen once
-- ready: a plain CHECK would fail this migration, and a NOT VALID one would fail the row's next edit of
-- its description or tags. So the rules exempt the rows created before this migration ran: a constant in
-- each constraint, which therefore is VALID (checked on every row, old and new).
DO $$
DECLARE
    legacy text := format('created_at < %L::timestamptz',
        to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'));
    ready_check text;
BEGIN
    EXECUTE 'ALTER TABLE model_version ADD CONSTRAINT model_version_format CHECK ('
        || legacy || $r$ OR format IN ('flywheel-linear', 'onnx', 'external'))$r$;
    EXECUTE 'ALTER TABLE model_version ADD CONSTRAINT model_version_endpoint CHECK ('
        || legacy || $r$ OR (endpoint IS NOT NULL) = (format = 'external'))$r$;
    -- ready meant "has its artifact"; an external version is ready from its registration and has none
    SELECT conname INTO ready_check FROM pg_constraint
    WHERE conrelid = 'model_version'::regclass AND contype = 'c'
      AND pg_get_constraintdef(oid) LIKE '%artifact_sha256 IS NOT NULL%finalised_at IS NOT NULL%';
    EXECUTE format('ALTER TABLE model_version DROP CONSTRAINT %I', ready_check);
    EXECUTE 'ALTER TABLE model_version ADD CONSTRAINT model_version_ready CHECK ('
        || $r$(status = 'ready') = (finalised_at IS NOT NULL AND CASE WHEN format = 'external'
                THEN artifact_sha256 IS NULL AND artifact_size IS NULL
                ELSE artifact_sha256 IS NOT NULL AND artifact_size IS NOT NULL END)$r$
        || ' OR ' || legacy
        || $r$ AND (status = 'ready') = (artifact_sha256 IS NOT NULL AND artifact_size IS NOT NULL AND finalised_at IS NOT NULL))$r$;
END
$$;
ALTER TABLE model_version ADD CONSTRAINT model_version_onnx CHECK (onnx IS NULL OR format = 'onnx');

-- A finalised version's graph and endpoint are frozen with the rest.
CREATE OR REPLACE FUNCTION model_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
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
            NEW.created_at, NEW.finalised_at, NEW.onnx, NEW.endpoint)
        IS DISTINCT FROM (OLD.model, OLD.version, OLD.status, OLD.framework, OLD.format, OLD.signature,
            OLD.metrics, OLD.params, OLD.dataset_versions, OLD.code_repository, OLD.code_commit, OLD.retrain_job,
            OLD.parent_version, OLD.artifact_sha256, OLD.artifact_size, OLD.artifact_content_type,
            OLD.created_at, OLD.finalised_at, OLD.onnx, OLD.endpoint) THEN
        RAISE EXCEPTION 'model version %/% is finalised: only its description and tags can change', OLD.model, OLD.version
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;

-- An endpoint never changes, whatever the version's state (no code path may try).
CREATE FUNCTION model_version_endpoint_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.endpoint IS DISTINCT FROM OLD.endpoint THEN
        RAISE EXCEPTION 'model version %/%: its endpoint never changes', OLD.model, OLD.version
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER model_version_endpoint_fixed BEFORE UPDATE OF endpoint ON model_version
    FOR EACH ROW EXECUTE FUNCTION model_version_endpoint_fixed();
