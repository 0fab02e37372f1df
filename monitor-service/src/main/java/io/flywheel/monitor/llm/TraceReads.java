package io.flywheel.monitor.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.monitor.llm.query.Queries;
import io.flywheel.monitor.llm.query.Statement;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Runs the read APIs' statements and turns rows into {@link Rows}. */
@ApplicationScoped
public class TraceReads {

    private final Pool db;
    private final ObjectMapper json;

    public TraceReads(Pool db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    public Uni<List<Rows.Trace>> traces(Statement s) {
        return list(s, this::trace);
    }

    public Uni<List<Rows.Observation>> observations(Statement s) {
        return list(s, this::observation);
    }

    public Uni<List<Rows.Score>> scores(Statement s) {
        return list(s, this::score);
    }

    public Uni<List<Rows.Session>> sessions(Statement s) {
        return list(s, this::session);
    }

    public Uni<Long> count(Statement s) {
        return db.preparedQuery(s.sql()).execute(Tuple.from(s.params())).map(rows -> rows.iterator().next().getLong(0));
    }

    /** A trace by id; without a project, in any project (up to two, so an ambiguous id can be told). */
    public Uni<List<Rows.Trace>> trace(String project, String id) {
        return project == null
                ? list(new Statement("SELECT " + Queries.TRACE_COLUMNS + " FROM llm_trace t WHERE t.id = $1 LIMIT 2", List.of(id)), this::trace)
                : list(new Statement("SELECT " + Queries.TRACE_COLUMNS + " FROM llm_trace t WHERE t.project = $1 AND t.id = $2",
                List.of(project, id)), this::trace);
    }

    public Uni<List<Rows.Observation>> observation(String project, String id) {
        return project == null
                ? list(new Statement("SELECT " + Queries.OBSERVATION_COLUMNS + " FROM llm_observation o WHERE o.id = $1 LIMIT 2", List.of(id)),
                this::observation)
                : list(new Statement("SELECT " + Queries.OBSERVATION_COLUMNS + " FROM llm_observation o WHERE o.project = $1 AND o.id = $2",
                List.of(project, id)), this::observation);
    }

    /** The observations of these traces of one project. */
    public Uni<List<Rows.Observation>> observationsOf(String project, Collection<String> traceIds) {
        return list(new Statement("SELECT " + Queries.OBSERVATION_COLUMNS + " FROM llm_observation o WHERE o.project = $1 "
                + "AND o.trace_id = ANY($2::text[]) ORDER BY o.start_time NULLS LAST, o.id", List.of(project, traceIds.toArray(String[]::new))),
                this::observation);
    }

    /** The scores of these traces of one project. */
    public Uni<List<Rows.Score>> scoresOf(String project, Collection<String> traceIds) {
        return list(new Statement("SELECT " + Queries.SCORE_COLUMNS + " FROM llm_score s WHERE s.project = $1 "
                + "AND s.trace_id = ANY($2::text[]) ORDER BY s.timestamp, s.id", List.of(project, traceIds.toArray(String[]::new))),
                this::score);
    }

    /** (project, trace id, observation id) of the observations of many traces, for lists that show only ids. */
    public Uni<List<String[]>> observationIds(List<Rows.Trace> traces) {
        return ids("llm_observation", traces);
    }

    public Uni<List<String[]>> scoreIds(List<Rows.Trace> traces) {
        return ids("llm_score", traces);
    }

    private Uni<List<String[]>> ids(String table, List<Rows.Trace> traces) {
        if (traces.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String[] projects = traces.stream().map(Rows.Trace::project).toArray(String[]::new);
        String[] ids = traces.stream().map(Rows.Trace::id).toArray(String[]::new);
        String order = table.equals("llm_score") ? "x.timestamp" : "x.start_time NULLS LAST";
        return db.preparedQuery("SELECT x.project, x.trace_id, x.id FROM " + table + " x JOIN unnest($1::text[], $2::text[]) AS k(project, trace_id) "
                        + "ON x.project = k.project AND x.trace_id = k.trace_id ORDER BY " + order + ", x.id")
                .execute(Tuple.of(projects, ids))
                .map(rows -> {
                    List<String[]> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new String[]{r.getString(0), r.getString(1), r.getString(2)});
                    }
                    return out;
                });
    }

    public Uni<List<Rows.Trace>> tracesOfSession(String project, String sessionId) {
        return list(new Statement("SELECT " + Queries.TRACE_COLUMNS + " FROM llm_trace t WHERE t.project = $1 AND t.session_id = $2 "
                + "ORDER BY t.ts, t.id LIMIT 1000", List.of(project, sessionId)), this::trace);
    }

    public Uni<List<Rows.Score>> scoresOfSession(String project, String sessionId) {
        return list(new Statement("SELECT " + Queries.SCORE_COLUMNS + " FROM llm_score s WHERE s.project = $1 AND s.session_id = $2 "
                + "ORDER BY s.timestamp, s.id", List.of(project, sessionId)), this::score);
    }

    private <T> Uni<List<T>> list(Statement s, Function<Row, T> map) {
        return db.preparedQuery(s.sql()).execute(Tuple.from(s.params())).map(rows -> {
            List<T> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(map.apply(r));
            }
            return out;
        });
    }

    private Rows.Trace trace(Row r) {
        return new Rows.Trace(r.getString("project"), r.getString("id"), instant(r, "ts"), instant(r, "timestamp"), r.getString("name"),
                r.getString("user_id"), r.getString("session_id"), r.getString("release"), r.getString("version"),
                r.getString("environment"), strings(r, "tags"), r.getBoolean("public"), jsonValue(r, "input"), jsonValue(r, "output"),
                jsonValue(r, "metadata"), r.getInteger("observation_count"), instant(r, "observations_start"),
                instant(r, "observations_end"), r.getDouble("latency_ms"), decimal(r, "total_cost"), r.getLong("input_tokens"),
                r.getLong("output_tokens"), r.getLong("total_tokens"), strings(r, "models"), instant(r, "created_at"),
                instant(r, "updated_at"));
    }

    private Rows.Observation observation(Row r) {
        return new Rows.Observation(r.getString("project"), r.getString("id"), r.getString("trace_id"), r.getString("type"),
                r.getString("parent_observation_id"), r.getString("name"), instant(r, "start_time"), instant(r, "end_time"),
                instant(r, "completion_start_time"), r.getString("model"), jsonValue(r, "model_parameters"), jsonValue(r, "input"),
                jsonValue(r, "output"), jsonValue(r, "metadata"), r.getString("level"), r.getString("status_message"),
                r.getString("version"), r.getString("environment"), map(r, "usage_details"), map(r, "cost_details"),
                r.getString("prompt_name"), r.getInteger("prompt_version"), r.getLong("input_tokens"), r.getLong("output_tokens"),
                r.getLong("total_tokens"), map(r, "calculated_cost_details"), decimal(r, "given_total_cost"),
                decimal(r, "calculated_total_cost"), decimal(r, "total_cost"), r.getString("cost_source"), r.getString("price_model"),
                instant(r, "price_valid_from"), r.getDouble("latency_ms"), instant(r, "created_at"), instant(r, "updated_at"));
    }

    private Rows.Score score(Row r) {
        return new Rows.Score(r.getString("project"), r.getString("id"), r.getString("name"), r.getString("trace_id"),
                r.getString("observation_id"), r.getString("session_id"), r.getString("dataset_run_id"), r.getDouble("value"),
                r.getString("string_value"), r.getString("data_type"), r.getString("source"), r.getString("comment"),
                jsonValue(r, "metadata"), r.getString("config_id"), r.getString("environment"), instant(r, "timestamp"),
                instant(r, "received_at"), instant(r, "created_at"), instant(r, "updated_at"));
    }

    private Rows.Session session(Row r) {
        return new Rows.Session(r.getString("project"), r.getString("id"), instant(r, "created_at"), instant(r, "last_at"),
                r.getLong("traces"), strings(r, "environments"), decimal(r, "total_cost"), r.getLong("total_tokens"));
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    private static Double decimal(Row r, String column) {
        Object v = r.getValue(column);
        return v == null ? null : v instanceof BigDecimal b ? b.doubleValue() : ((Number) v).doubleValue();
    }

    private static List<String> strings(Row r, String column) {
        String[] a = r.getArrayOfStrings(column);
        return a == null ? null : Arrays.asList(a);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(Row r, String column) {
        Object v = jsonValue(r, column);
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    /** A jsonb column as plain Java (maps, lists, strings, numbers, booleans). */
    private Object jsonValue(Row r, String column) {
        Object v = r.getValue(column);
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof JsonObject || v instanceof JsonArray) {
            try {
                return json.readValue(v.toString(), Object.class);
            } catch (Exception e) {
                throw new IllegalStateException("stored JSON does not parse: " + e.getMessage());
            }
        }
        return null; // JSON null
    }
}
