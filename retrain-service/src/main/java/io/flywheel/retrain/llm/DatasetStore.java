package io.flywheel.retrain.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.flywheel.retrain.AlreadyExistsException;
import io.flywheel.retrain.InvalidRequestException;
import io.flywheel.retrain.NotFoundException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Datasets, items, runs and run items of LLM projects ({@code llm_dataset*}), in SQL: upserts are one
 * {@code INSERT ... ON CONFLICT} each, so two clients upserting the same name or id can't both create it.
 * Every read and write is scoped to a project.
 */
@ApplicationScoped
public class DatasetStore {

    /** JSON values are stored as their text, keys as the client wrote them. */
    static final ObjectMapper JSON = JsonMapper.builder().build();

    /** A row written by an upsert, and whether it was new. */
    public record Upserted<T>(T value, boolean created) {
    }

    private static final String DATASET = "d.id, d.project, d.name, d.description, d.metadata, d.input_schema, d.expected_output_schema, "
            + "d.created_at, d.updated_at";
    private static final String ITEM = "i.project, i.id, i.dataset_id, d.name AS dataset_name, i.status, i.input, i.expected_output, "
            + "i.metadata, i.source_trace_id, i.source_observation_id, i.created_at, i.updated_at";
    private static final String RUN = "r.id, r.project, r.dataset_id, d.name AS dataset_name, r.name, r.description, r.metadata, r.prompt, "
            + "r.model, r.evaluators, r.settings, r.status, r.items_total, r.items_done, r.items_failed, r.error, r.created_by, r.created_at, "
            + "r.updated_at, r.started_at, r.finished_at";
    private static final String RUN_ITEM = "ri.id, ri.project, ri.run_id, r.name AS run_name, ri.dataset_item_id, ri.trace_id, "
            + "ri.observation_id, ri.output, ri.scores, ri.latency_ms, ri.prompt_tokens, ri.completion_tokens, ri.total_tokens, ri.error, "
            + "ri.created_at, ri.updated_at";

    private final Pool db;

    public DatasetStore(Pool db) {
        this.db = db;
    }

    // ---- datasets

    /** Creates the dataset, or updates the fields sent of the one of that name (Langfuse's upsert by name). */
    public Uni<Upserted<Dataset>> upsertDataset(String project, String name, String description, JsonNode metadata, JsonNode inputSchema,
                                                JsonNode expectedOutputSchema) {
        plain("name", name, "description", description);
        return db.preparedQuery("INSERT INTO llm_dataset AS d (id, project, name, description, metadata, input_schema, expected_output_schema, "
                        + "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, now(), now()) "
                        + "ON CONFLICT (project, name) DO UPDATE SET description = COALESCE(EXCLUDED.description, d.description), "
                        + "metadata = COALESCE(EXCLUDED.metadata, d.metadata), input_schema = COALESCE(EXCLUDED.input_schema, d.input_schema), "
                        + "expected_output_schema = COALESCE(EXCLUDED.expected_output_schema, d.expected_output_schema), updated_at = now() "
                        + "RETURNING " + DATASET + ", (xmax = 0) AS created")
                .execute(tuple(UUID.randomUUID().toString(), project, name, description, text(metadata), text(inputSchema),
                        text(expectedOutputSchema)))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Upserted<>(dataset(row), row.getBoolean("created"));
                });
    }

    public Uni<Optional<Dataset>> dataset(String project, String name) {
        return db.preparedQuery("SELECT " + DATASET + " FROM llm_dataset d WHERE d.project = $1 AND d.name = $2")
                .execute(Tuple.of(project, name)).map(rows -> first(rows, DatasetStore::dataset));
    }

    /** The dataset, or a NotFoundException naming it. */
    public Uni<Dataset> requireDataset(String project, String name) {
        return dataset(project, name).map(found -> found.orElseThrow(() -> new NotFoundException("dataset", name)));
    }

    public Uni<List<Dataset>> datasets(String project, int offset, int limit) {
        return db.preparedQuery("SELECT " + DATASET + " FROM llm_dataset d WHERE d.project = $1 ORDER BY d.created_at DESC, d.id LIMIT $2 OFFSET $3")
                .execute(Tuple.of(project, limit, offset)).map(rows -> all(rows, DatasetStore::dataset));
    }

    public Uni<Long> countDatasets(String project) {
        return count("SELECT count(*) FROM llm_dataset WHERE project = $1", Tuple.of(project));
    }

    // ---- items

    /**
     * Creates the item (a fresh id when none is sent) or updates the one with its id, field by field: a
     * field not sent stays. An id that belongs to an item of another dataset is refused.
     */
    public Uni<Upserted<DatasetItem>> upsertItem(String project, DatasetItem.Draft draft) {
        if (draft.status() != null && !DatasetItem.ACTIVE.equals(draft.status()) && !DatasetItem.ARCHIVED.equals(draft.status())) {
            return Uni.createFrom().failure(new InvalidRequestException("status must be ACTIVE or ARCHIVED, was '" + draft.status() + "'"));
        }
        plain("id", draft.id(), "sourceTraceId", draft.sourceTraceId(), "sourceObservationId", draft.sourceObservationId());
        String id = draft.id() == null || draft.id().isBlank() ? UUID.randomUUID().toString() : draft.id();
        if (id.length() > 255) {
            return Uni.createFrom().failure(new InvalidRequestException("an item id is at most 255 characters"));
        }
        return requireDataset(project, draft.datasetName()).chain(dataset -> db.preparedQuery(
                        "INSERT INTO llm_dataset_item AS i (project, id, dataset_id, status, input, expected_output, metadata, source_trace_id, "
                                + "source_observation_id, created_at, updated_at) VALUES ($1, $2, $3, COALESCE($4, 'ACTIVE'), $5, $6, $7, $8, $9, now(), now()) "
                                + "ON CONFLICT (project, id) DO UPDATE SET status = COALESCE($4, i.status), input = COALESCE(EXCLUDED.input, i.input), "
                                + "expected_output = COALESCE(EXCLUDED.expected_output, i.expected_output), metadata = COALESCE(EXCLUDED.metadata, i.metadata), "
                                + "source_trace_id = COALESCE(EXCLUDED.source_trace_id, i.source_trace_id), "
                                + "source_observation_id = COALESCE(EXCLUDED.source_observation_id, i.source_observation_id), updated_at = now() "
                                + "WHERE i.dataset_id = EXCLUDED.dataset_id RETURNING i.id, (xmax = 0) AS created")
                .execute(tuple(project, id, dataset.id(), draft.status(), text(draft.input()), text(draft.expectedOutput()),
                        text(draft.metadata()), draft.sourceTraceId(), draft.sourceObservationId()))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new InvalidRequestException("item '" + id + "' belongs to another dataset of this project; item ids are unique per project");
                    }
                    boolean created = rows.iterator().next().getBoolean("created");
                    return item(project, id).map(item -> new Upserted<>(item.orElseThrow(), created));
                }));
    }

    public Uni<Optional<DatasetItem>> item(String project, String id) {
        return db.preparedQuery("SELECT " + ITEM + " FROM llm_dataset_item i JOIN llm_dataset d ON d.id = i.dataset_id "
                        + "WHERE i.project = $1 AND i.id = $2")
                .execute(Tuple.of(project, id)).map(rows -> first(rows, DatasetStore::item));
    }

    /** Deletes the item; its run items stay (they name it by id), as in Langfuse. */
    public Uni<Optional<DatasetItem>> deleteItem(String project, String id) {
        return item(project, id).call(found -> found.isEmpty() ? Uni.createFrom().voidItem()
                : db.preparedQuery("DELETE FROM llm_dataset_item WHERE project = $1 AND id = $2").execute(Tuple.of(project, id)).replaceWithVoid());
    }

    /** Which items to list: every filter is optional. */
    public record ItemFilter(String project, String datasetId, String sourceTraceId, String sourceObservationId, String status) {
    }

    public Uni<List<DatasetItem>> items(ItemFilter filter, int offset, int limit) {
        Where where = itemWhere(filter);
        where.args.add(limit);
        where.args.add(offset);
        return db.preparedQuery("SELECT " + ITEM + " FROM llm_dataset_item i JOIN llm_dataset d ON d.id = i.dataset_id WHERE " + where.sql
                        + " ORDER BY i.created_at DESC, i.id LIMIT $" + (where.args.size() - 1) + " OFFSET $" + where.args.size())
                .execute(Tuple.from(where.args)).map(rows -> all(rows, DatasetStore::item));
    }

    public Uni<Long> countItems(ItemFilter filter) {
        Where where = itemWhere(filter);
        return count("SELECT count(*) FROM llm_dataset_item i WHERE " + where.sql, Tuple.from(where.args));
    }

    /** The items an experiment runs: every ACTIVE item of the dataset, oldest first (a stable order). */
    public Uni<List<DatasetItem>> activeItems(String project, String datasetId) {
        return db.preparedQuery("SELECT " + ITEM + " FROM llm_dataset_item i JOIN llm_dataset d ON d.id = i.dataset_id "
                        + "WHERE i.project = $1 AND i.dataset_id = $2 AND i.status = 'ACTIVE' ORDER BY i.created_at, i.id")
                .execute(Tuple.of(project, datasetId)).map(rows -> all(rows, DatasetStore::item));
    }

    /** Items by id (those that still exist). */
    public Uni<List<DatasetItem>> itemsById(String project, List<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return db.preparedQuery("SELECT " + ITEM + " FROM llm_dataset_item i JOIN llm_dataset d ON d.id = i.dataset_id "
                        + "WHERE i.project = $1 AND i.id = ANY($2)")
                .execute(Tuple.of(project, ids.toArray(String[]::new))).map(rows -> all(rows, DatasetStore::item));
    }

    private static Where itemWhere(ItemFilter f) {
        Where w = new Where("i.project = $1", f.project());
        w.and("i.dataset_id", f.datasetId());
        w.and("i.source_trace_id", f.sourceTraceId());
        w.and("i.source_observation_id", f.sourceObservationId());
        w.and("i.status", f.status());
        return w;
    }

    // ---- runs and run items

    /**
     * Links a dataset item to a trace in the named run of its dataset, creating the run when the name is
     * new (its description and metadata are upserted). The trace need not exist yet: an SDK links the item
     * before its spans are exported. A second link of the same item in the same run replaces the first.
     */
    public Uni<RunItem> link(String project, RunItem.Link link) {
        plain("runName", link.runName(), "runDescription", link.runDescription(), "traceId", link.traceId(), "observationId", link.observationId());
        return item(project, link.datasetItemId()).chain(found -> {
            DatasetItem item = found.orElseThrow(() -> new NotFoundException("dataset item", link.datasetItemId()));
            return db.withTransaction(tx -> upsertRun(tx, project, item.datasetId(), link.runName(), link.runDescription(), link.metadata())
                    .chain(runId -> tx.preparedQuery("INSERT INTO llm_dataset_run_item AS ri (id, project, run_id, dataset_item_id, trace_id, "
                                    + "observation_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, now(), now()) "
                                    + "ON CONFLICT (run_id, dataset_item_id) DO UPDATE SET trace_id = EXCLUDED.trace_id, "
                                    + "observation_id = EXCLUDED.observation_id, updated_at = now() RETURNING ri.id")
                            .execute(tuple(UUID.randomUUID().toString(), project, runId, item.id(), link.traceId(), link.observationId()))
                            .map(rows -> rows.iterator().next().getString("id"))))
                    .chain(id -> runItem(project, id));
        });
    }

    private static Uni<String> upsertRun(SqlClient tx, String project, String datasetId, String name, String description, JsonNode metadata) {
        return tx.preparedQuery("INSERT INTO llm_dataset_run AS r (id, project, dataset_id, name, description, metadata, created_at, updated_at) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, now(), now()) ON CONFLICT (dataset_id, name) DO UPDATE SET "
                        + "description = COALESCE(EXCLUDED.description, r.description), metadata = COALESCE(EXCLUDED.metadata, r.metadata), "
                        + "updated_at = now() RETURNING r.id")
                .execute(tuple(UUID.randomUUID().toString(), project, datasetId, name, description, text(metadata)))
                .map(rows -> rows.iterator().next().getString("id"));
    }

    /** A new experiment run, queued; a run of that name in the dataset is a conflict. */
    public Uni<DatasetRun> createExperimentRun(String project, Dataset dataset, String name, String description, JsonNode metadata,
                                               JsonNode prompt, String model, JsonNode evaluators, JsonNode settings, int itemsTotal,
                                               String createdBy) {
        plain("run_name", name, "description", description, "model", model);
        String id = UUID.randomUUID().toString();
        return db.preparedQuery("INSERT INTO llm_dataset_run (id, project, dataset_id, name, description, metadata, prompt, model, evaluators, "
                        + "settings, status, items_total, created_by, created_at, updated_at) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'queued', $11, $12, now(), now()) ON CONFLICT (dataset_id, name) DO NOTHING")
                .execute(tuple(id, project, dataset.id(), name, description, text(metadata), text(prompt), model, text(evaluators),
                        text(settings), itemsTotal, createdBy))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new AlreadyExistsException("dataset '" + dataset.name() + "' already has a run named '" + name
                                + "'; give the experiment another run_name");
                    }
                    return runById(id).map(Optional::orElseThrow);
                });
    }

    public Uni<Optional<DatasetRun>> runById(String id) {
        return db.preparedQuery("SELECT " + RUN + " FROM llm_dataset_run r JOIN llm_dataset d ON d.id = r.dataset_id WHERE r.id = $1")
                .execute(Tuple.of(id)).map(rows -> first(rows, DatasetStore::run));
    }

    public Uni<Optional<DatasetRun>> run(String project, String datasetId, String name) {
        return db.preparedQuery("SELECT " + RUN + " FROM llm_dataset_run r JOIN llm_dataset d ON d.id = r.dataset_id "
                        + "WHERE r.project = $1 AND r.dataset_id = $2 AND r.name = $3")
                .execute(Tuple.of(project, datasetId, name)).map(rows -> first(rows, DatasetStore::run));
    }

    public Uni<DatasetRun> requireRun(String project, Dataset dataset, String name) {
        return run(project, dataset.id(), name).map(found -> found.orElseThrow(
                () -> new NotFoundException("run of dataset '" + dataset.name() + "'", name)));
    }

    /** Runs of a dataset, newest first; with {@code experimentsOnly}, only experiment runs (any dataset when datasetId is null). */
    public Uni<List<DatasetRun>> runs(String project, String datasetId, boolean experimentsOnly, int offset, int limit) {
        Where w = runWhere(project, datasetId, experimentsOnly);
        w.args.add(limit);
        w.args.add(offset);
        return db.preparedQuery("SELECT " + RUN + " FROM llm_dataset_run r JOIN llm_dataset d ON d.id = r.dataset_id WHERE " + w.sql
                        + " ORDER BY r.created_at DESC, r.id LIMIT $" + (w.args.size() - 1) + " OFFSET $" + w.args.size())
                .execute(Tuple.from(w.args)).map(rows -> all(rows, DatasetStore::run));
    }

    public Uni<Long> countRuns(String project, String datasetId, boolean experimentsOnly) {
        Where w = runWhere(project, datasetId, experimentsOnly);
        return count("SELECT count(*) FROM llm_dataset_run r WHERE " + w.sql, Tuple.from(w.args));
    }

    private static Where runWhere(String project, String datasetId, boolean experimentsOnly) {
        Where w = new Where("r.project = $1", project);
        w.and("r.dataset_id", datasetId);
        if (experimentsOnly) {
            w.sql.append(" AND r.status IS NOT NULL");
        }
        return w;
    }

    /** Deletes a run and its run items (the traces stay in the monitor). */
    public Uni<Boolean> deleteRun(String runId) {
        return db.preparedQuery("DELETE FROM llm_dataset_run WHERE id = $1").execute(Tuple.of(runId)).map(rows -> rows.rowCount() > 0);
    }

    public Uni<RunItem> runItem(String project, String id) {
        return db.preparedQuery("SELECT " + RUN_ITEM + " FROM llm_dataset_run_item ri JOIN llm_dataset_run r ON r.id = ri.run_id "
                        + "WHERE ri.project = $1 AND ri.id = $2")
                .execute(Tuple.of(project, id)).map(rows -> first(rows, DatasetStore::runItem).orElseThrow());
    }

    /** Run items of one run (or of every run of a dataset when runName is null), newest first. */
    public Uni<List<RunItem>> runItems(String project, String datasetId, String runId, int offset, int limit) {
        Where w = runItemWhere(project, datasetId, runId);
        w.args.add(limit);
        w.args.add(offset);
        return db.preparedQuery("SELECT " + RUN_ITEM + " FROM llm_dataset_run_item ri JOIN llm_dataset_run r ON r.id = ri.run_id WHERE " + w.sql
                        + " ORDER BY ri.created_at DESC, ri.id LIMIT $" + (w.args.size() - 1) + " OFFSET $" + w.args.size())
                .execute(Tuple.from(w.args)).map(rows -> all(rows, DatasetStore::runItem));
    }

    public Uni<Long> countRunItems(String project, String datasetId, String runId) {
        Where w = runItemWhere(project, datasetId, runId);
        return count("SELECT count(*) FROM llm_dataset_run_item ri JOIN llm_dataset_run r ON r.id = ri.run_id WHERE " + w.sql, Tuple.from(w.args));
    }

    /** Every run item of a run (comparisons, a run's detail). */
    public Uni<List<RunItem>> allRunItems(String runId) {
        return db.preparedQuery("SELECT " + RUN_ITEM + " FROM llm_dataset_run_item ri JOIN llm_dataset_run r ON r.id = ri.run_id "
                        + "WHERE ri.run_id = $1 ORDER BY ri.created_at, ri.id")
                .execute(Tuple.of(runId)).map(rows -> all(rows, DatasetStore::runItem));
    }

    private static Where runItemWhere(String project, String datasetId, String runId) {
        Where w = new Where("ri.project = $1", project);
        w.and("r.dataset_id", datasetId);
        w.and("ri.run_id", runId);
        return w;
    }

    // ---- experiment progress

    public Uni<Void> started(String runId) {
        return db.preparedQuery("UPDATE llm_dataset_run SET status = 'running', started_at = now(), updated_at = now() WHERE id = $1")
                .execute(Tuple.of(runId)).replaceWithVoid();
    }

    /** Stores one item's outcome and counts it as done or failed, in one transaction. */
    public Uni<Void> recordOutcome(String project, String runId, RunItem.Outcome o) {
        boolean failed = o.error() != null;
        return db.withTransaction(tx -> tx.preparedQuery("INSERT INTO llm_dataset_run_item AS ri (id, project, run_id, dataset_item_id, trace_id, "
                                + "observation_id, output, scores, latency_ms, prompt_tokens, completion_tokens, total_tokens, error, created_at, updated_at) "
                                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now(), now()) "
                                + "ON CONFLICT (run_id, dataset_item_id) DO UPDATE SET trace_id = EXCLUDED.trace_id, observation_id = EXCLUDED.observation_id, "
                                + "output = EXCLUDED.output, scores = EXCLUDED.scores, latency_ms = EXCLUDED.latency_ms, prompt_tokens = EXCLUDED.prompt_tokens, "
                                + "completion_tokens = EXCLUDED.completion_tokens, total_tokens = EXCLUDED.total_tokens, error = EXCLUDED.error, updated_at = now()")
                        .execute(tuple(UUID.randomUUID().toString(), project, runId, o.datasetItemId(), o.traceId(), o.observationId(),
                                text(o.output()), text(o.scores()), o.latencyMs(), o.promptTokens(), o.completionTokens(), o.totalTokens(), o.error()))
                        .chain(() -> tx.preparedQuery("UPDATE llm_dataset_run SET " + (failed ? "items_failed = items_failed + 1" : "items_done = items_done + 1")
                                + ", updated_at = now() WHERE id = $1").execute(Tuple.of(runId))))
                .replaceWithVoid();
    }

    public Uni<Void> finished(String runId, String status, String error) {
        return db.preparedQuery("UPDATE llm_dataset_run SET status = $2, error = $3, finished_at = now(), updated_at = now() WHERE id = $1")
                .execute(Tuple.of(runId, status, error)).replaceWithVoid();
    }

    /** Experiments this service was running when it stopped: they can't be resumed, so they end failed, saying why. */
    public Uni<Integer> failInterrupted() {
        return db.preparedQuery("UPDATE llm_dataset_run SET status = 'failed', error = 'retrain-service stopped while the experiment ran; "
                        + "start it again under another run_name', finished_at = now(), updated_at = now() WHERE status IN ('queued', 'running')")
                .execute().map(RowSet::rowCount);
    }

    /** PostgreSQL's text can't hold a NUL character (JSON values are stored escaped): a field that has one is refused. */
    private static void plain(String... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String value = namesAndValues[i + 1];
            if (value != null && value.indexOf('\0') >= 0) {
                throw new InvalidRequestException(namesAndValues[i] + " must not contain a NUL character (\\u0000)");
            }
        }
    }

    // ---- rows

    private static Dataset dataset(Row r) {
        return new Dataset(r.getString("id"), r.getString("project"), r.getString("name"), r.getString("description"),
                json(r.getString("metadata")), json(r.getString("input_schema")), json(r.getString("expected_output_schema")),
                instant(r, "created_at"), instant(r, "updated_at"));
    }

    private static DatasetItem item(Row r) {
        return new DatasetItem(r.getString("project"), r.getString("id"), r.getString("dataset_id"), r.getString("dataset_name"),
                r.getString("status"), json(r.getString("input")), json(r.getString("expected_output")), json(r.getString("metadata")),
                r.getString("source_trace_id"), r.getString("source_observation_id"), instant(r, "created_at"), instant(r, "updated_at"));
    }

    private static DatasetRun run(Row r) {
        return new DatasetRun(r.getString("id"), r.getString("project"), r.getString("dataset_id"), r.getString("dataset_name"),
                r.getString("name"), r.getString("description"), json(r.getString("metadata")), json(r.getString("prompt")),
                r.getString("model"), json(r.getString("evaluators")), json(r.getString("settings")), r.getString("status"),
                r.getInteger("items_total"), r.getInteger("items_done"), r.getInteger("items_failed"), r.getString("error"),
                r.getString("created_by"), instant(r, "created_at"), instant(r, "updated_at"), instant(r, "started_at"),
                instant(r, "finished_at"));
    }

    private static RunItem runItem(Row r) {
        return new RunItem(r.getString("id"), r.getString("project"), r.getString("run_id"), r.getString("run_name"),
                r.getString("dataset_item_id"), r.getString("trace_id"), r.getString("observation_id"), json(r.getString("output")),
                json(r.getString("scores")), r.getLong("latency_ms"), r.getLong("prompt_tokens"), r.getLong("completion_tokens"),
                r.getLong("total_tokens"), r.getString("error"), instant(r, "created_at"), instant(r, "updated_at"));
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    static String text(JsonNode value) {
        if (value == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored JSON value does not parse", e);
        }
    }

    private Uni<Long> count(String sql, Tuple args) {
        return db.preparedQuery(sql).execute(args).map(rows -> rows.iterator().next().getLong(0));
    }

    private static Tuple tuple(Object... values) {
        return Tuple.from(Arrays.asList(values));
    }

    private static <T> Optional<T> first(RowSet<Row> rows, Function<Row, T> map) {
        var it = rows.iterator();
        return it.hasNext() ? Optional.of(map.apply(it.next())) : Optional.empty();
    }

    private static <T> List<T> all(RowSet<Row> rows, Function<Row, T> map) {
        List<T> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(map.apply(r));
        }
        return out;
    }

    /** A WHERE clause built from optional equality filters, numbered for a prepared query. */
    private static final class Where {
        final StringBuilder sql;
        final List<Object> args = new ArrayList<>();

        Where(String first, Object arg) {
            sql = new StringBuilder(first);
            args.add(arg);
        }

        void and(String column, Object value) {
            if (value != null) {
                args.add(value);
                sql.append(" AND ").append(column).append(" = $").append(args.size());
            }
        }
    }
}
