package io.flywheel.monitor.llm.query;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** The read APIs' statements over llm_trace, llm_observation and llm_score, from their filters and paging. */
public final class Queries {

    public static final String TRACE_COLUMNS = "t.project, t.id, t.timestamp, t.ts, t.name, t.user_id, t.session_id, t.release, "
            + "t.version, " + environment("t") + " AS environment, t.tags, t.public, t.input, t.output, t.metadata, t.observation_count, "
            + "t.observations_start, t.observations_end, t.latency_ms, t.total_cost, t.input_tokens, t.output_tokens, "
            + "t.total_tokens, t.models, t.created_at, t.updated_at";

    public static final String OBSERVATION_COLUMNS = "o.project, o.id, o.trace_id, o.type, o.parent_observation_id, o.name, "
            + "o.start_time, o.end_time, o.completion_start_time, o.model, o.model_parameters, o.input, o.output, o.metadata, "
            + "o.level, o.status_message, o.version, " + environment("o") + " AS environment, o.usage_details, o.cost_details, o.prompt_name, "
            + "o.prompt_version, o.input_tokens, o.output_tokens, o.total_tokens, o.calculated_cost_details, o.given_total_cost, "
            + "o.calculated_total_cost, o.total_cost, o.cost_source, o.price_model, o.price_valid_from, o.latency_ms, "
            + "o.created_at, o.updated_at";

    public static final String SCORE_COLUMNS = "s.project, s.id, s.name, s.trace_id, s.observation_id, s.session_id, "
            + "s.dataset_run_id, s.value, s.string_value, s.data_type, s.source, s.comment, s.metadata, s.config_id, "
            + environment("s") + " AS environment, s.timestamp, s.received_at, s.created_at, s.updated_at";

    /** Langfuse's {@code orderBy} fields of traces and their columns. */
    public static final Map<String, String> TRACE_ORDER = Map.of(
            "timestamp", "t.ts", "name", "t.name", "userId", "t.user_id", "sessionId", "t.session_id",
            "release", "t.release", "version", "t.version", "environment", "t.environment", "latency", "t.latency_ms",
            "totalCost", "t.total_cost");

    private Queries() {
    }

    public static Statement traces(Filters.Traces f, Paging paging, String orderBy) {
        SqlQuery q = new SqlQuery();
        traceConditions(q, f);
        return paged(q, "SELECT " + TRACE_COLUMNS + " FROM llm_trace t", "t.ts", "t.id", paging, orderBy);
    }

    public static Statement countTraces(Filters.Traces f) {
        SqlQuery q = new SqlQuery();
        traceConditions(q, f);
        return new Statement("SELECT count(*) FROM llm_trace t" + q.where(), q.params());
    }

    private static void traceConditions(SqlQuery q, Filters.Traces f) {
        q.and("t.project = ?", f.project())
                .and("t.ts >= ?", time(f.from()))
                .and("t.ts < ?", time(f.to()))
                .and("t.name = ?", f.name())
                .and("t.user_id = ?", f.userId())
                .and("t.session_id = ?", f.sessionId())
                .and("t.tags @> ?::text[]", array(f.tags()))
                .and("t.release = ?", f.release())
                .and("t.version = ?", f.version())
                .and(environment("t") + " = ANY(?::text[])", array(f.environments()))
                .and("t.models @> ARRAY[?::text]", f.model())
                .and("t.total_cost >= ?", f.minCost())
                .and("t.total_cost <= ?", f.maxCost())
                .and("t.latency_ms >= ?", f.minLatencyMs())
                .and("t.latency_ms <= ?", f.maxLatencyMs());
    }

    public static Statement observations(Filters.Observations f, Paging paging) {
        SqlQuery q = new SqlQuery();
        observationConditions(q, f);
        return paged(q, "SELECT " + OBSERVATION_COLUMNS + " FROM llm_observation o", "COALESCE(o.start_time, o.created_at)", "o.id",
                paging, null);
    }

    public static Statement countObservations(Filters.Observations f) {
        SqlQuery q = new SqlQuery();
        observationConditions(q, f);
        return new Statement("SELECT count(*) FROM llm_observation o" + q.where(), q.params());
    }

    private static void observationConditions(SqlQuery q, Filters.Observations f) {
        q.and("o.project = ?", f.project())
                .and("o.trace_id = ?", f.traceId())
                .and("o.type = ?", f.type())
                .and("o.name = ?", f.name())
                .and("o.level = ?", f.level())
                .and("o.model = ?", f.model())
                .and("o.parent_observation_id = ?", f.parentObservationId())
                .and(environment("o") + " = ANY(?::text[])", array(f.environments()))
                .and("o.version = ?", f.version())
                .and("o.start_time >= ?", time(f.fromStart()))
                .and("o.start_time < ?", time(f.toStart()))
                .and("EXISTS (SELECT 1 FROM llm_trace t WHERE t.project = o.project AND t.id = o.trace_id AND t.user_id = ?)", f.userId());
    }

    public static Statement scores(Filters.Scores f, Paging paging) {
        SqlQuery q = new SqlQuery();
        scoreConditions(q, f);
        return paged(q, "SELECT " + SCORE_COLUMNS + " FROM llm_score s", "s.timestamp", "s.id", paging, null);
    }

    public static Statement countScores(Filters.Scores f) {
        SqlQuery q = new SqlQuery();
        scoreConditions(q, f);
        return new Statement("SELECT count(*) FROM llm_score s" + q.where(), q.params());
    }

    private static void scoreConditions(SqlQuery q, Filters.Scores f) {
        q.and("s.project = ?", f.project())
                .and("s.trace_id = ?", f.traceId())
                .and("s.observation_id = ?", f.observationId())
                .and("s.session_id = ?", f.sessionId())
                .and("s.dataset_run_id = ?", f.datasetRunId())
                .and("s.name = ?", f.name())
                .and("s.source = ?", f.source())
                .and("s.data_type = ?", f.dataType())
                .and("s.config_id = ?", f.configId())
                .and(environment("s") + " = ANY(?::text[])", array(f.environments()))
                .and("s.id = ANY(?::text[])", array(f.ids()))
                .and("s.timestamp >= ?", time(f.from()))
                .and("s.timestamp < ?", time(f.to()))
                .and("EXISTS (SELECT 1 FROM llm_trace t WHERE t.project = s.project AND t.id = s.trace_id AND t.user_id = ?)", f.userId());
    }

    /** Sessions are the session ids of traces: first and last trace time, trace count, environments. */
    private static final String SESSIONS = "SELECT t.project, t.session_id AS id, min(t.ts) AS created_at, max(t.ts) AS last_at, "
            + "count(*) AS traces, array_agg(DISTINCT " + environment("t") + ") AS environments, "
            + "sum(t.total_cost) AS total_cost, sum(t.total_tokens) AS total_tokens FROM llm_trace t";

    public static Statement sessions(Filters.Sessions f, Paging paging) {
        SqlQuery q = new SqlQuery();
        q.and("t.session_id IS NOT NULL");
        sessionConditions(q, f);
        String grouped = "SELECT * FROM (" + SESSIONS + q.where() + " GROUP BY t.project, t.session_id) g";
        SqlQuery outer = new SqlQuery();
        // parameters continue after the inner query's
        outer.params().addAll(q.params());
        return paged(outer, grouped, "g.created_at", "g.id", paging, null);
    }

    public static Statement countSessions(Filters.Sessions f) {
        SqlQuery q = new SqlQuery();
        q.and("t.session_id IS NOT NULL");
        sessionConditions(q, f);
        return new Statement("SELECT count(*) FROM (SELECT 1 FROM llm_trace t" + q.where() + " GROUP BY t.project, t.session_id) g",
                q.params());
    }

    public static Statement session(String project, String id) {
        SqlQuery q = new SqlQuery();
        q.and("t.project = ?", project).and("t.session_id = ?", id);
        return new Statement(SESSIONS + q.where() + " GROUP BY t.project, t.session_id LIMIT 2", q.params());
    }

    private static void sessionConditions(SqlQuery q, Filters.Sessions f) {
        q.and("t.project = ?", f.project())
                .and("t.ts >= ?", time(f.from()))
                .and("t.ts < ?", time(f.to()))
                .and(environment("t") + " = ANY(?::text[])", array(f.environments()));
    }

    /** Newest first by (time, id) after the cursor, or the page's rows in {@code orderBy} ("field.asc|desc", a column expression). */
    private static Statement paged(SqlQuery q, String select, String time, String id, Paging paging, String orderBy) {
        String order = orderBy == null ? time + " DESC, " + id + " DESC" : orderBy + ", " + id + " DESC";
        return switch (paging) {
            case Paging.Cursor c -> {
                if (c.after() != null) {
                    q.and("(" + time + ", " + id + ") < (?::timestamptz, " + "$" + (q.params().size() + 2) + ")", c.after().offsetTime());
                    q.param(c.after().id());
                }
                yield new Statement(select + q.where() + " ORDER BY " + order + " LIMIT " + (c.limit() + 1), q.params());
            }
            case Paging.Page p -> new Statement(select + q.where() + " ORDER BY " + order + " LIMIT " + p.limit() + " OFFSET " + p.offset(),
                    q.params());
        };
    }

    /** {@code field.asc} or {@code field.desc} (Langfuse's orderBy) as SQL, or an IllegalArgumentException naming the fields. */
    public static String traceOrder(String orderBy) {
        if (orderBy == null || orderBy.isBlank()) {
            return null;
        }
        int dot = orderBy.lastIndexOf('.');
        String field = dot < 0 ? orderBy : orderBy.substring(0, dot);
        String direction = dot < 0 ? "desc" : orderBy.substring(dot + 1).toLowerCase();
        String column = TRACE_ORDER.get(field);
        if (column == null || !(direction.equals("asc") || direction.equals("desc"))) {
            throw new IllegalArgumentException("orderBy must be <field>.asc or <field>.desc with a field of "
                    + new java.util.TreeSet<>(TRACE_ORDER.keySet()) + ", was " + orderBy);
        }
        return column + " " + direction.toUpperCase() + " NULLS LAST";
    }

    private static OffsetDateTime time(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    /** Langfuse's environment of a row: stored only when sent, so an update without one keeps what came before. */
    private static String environment(String alias) {
        return "COALESCE(" + alias + ".environment, 'default')";
    }

    private static String[] array(List<String> values) {
        return values == null || values.isEmpty() ? null : values.toArray(String[]::new);
    }
}
