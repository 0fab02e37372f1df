package io.flywheel.monitor.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.events.ObservationUpserted;
import io.flywheel.events.ScoreUpserted;
import io.flywheel.events.TraceUpserted;
import io.flywheel.monitor.config.MonitorConfig;
import io.flywheel.monitor.llm.cost.Cost;
import io.flywheel.monitor.llm.cost.CostCalculator;
import io.flywheel.monitor.llm.merge.Column;
import io.flywheel.monitor.llm.merge.Fields;
import io.flywheel.monitor.llm.merge.Layouts;
import io.flywheel.monitor.llm.merge.UpsertSql;
import io.flywheel.monitor.llm.score.ScoreConfigStore;
import io.flywheel.monitor.llm.score.ScoreValidation;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Writes a batch of trace events in a handful of statements per transaction, whatever its size (a
 * transaction per group of traces, side by side): the event ids not seen before (the rest are
 * redeliveries, dropped), then traces and observations merged field by field ({@link Fields}; messages
 * of the same id in the batch are merged first), a new observation written with its tokens, cost and
 * latency and one merged with a stored row derived again, their traces' totals (added to, or recomputed),
 * and scores (the latest message per id). Every step is an idempotent upsert, so a batch that is run
 * again (after a crash, or while PostgreSQL was away) stores the same rows.
 */
@ApplicationScoped
public class TraceStore {

    /**
     * How many events of each kind a batch stored, how many were redeliveries, and the scores refused
     * because they do not fit the score config they name (project/score id and why).
     */
    public record Stored(int traces, int observations, int scores, int duplicates, Map<String, String> refused) {
        Stored plus(Stored other) {
            Map<String, String> both = new LinkedHashMap<>(refused);
            both.putAll(other.refused);
            return new Stored(traces + other.traces, observations + other.observations, scores + other.scores,
                    duplicates + other.duplicates, both);
        }
    }

    private static final String TRACE_UPSERT = UpsertSql.of("llm_trace", Layouts.KEY, Layouts.TRACE, null);
    private static final int O_TRACE = column("trace_id");
    private static final int O_TYPE = column("type");
    private static final int O_MODEL = column("model");
    private static final int O_START = column("start_time");
    private static final int O_END = column("end_time");
    private static final int O_USAGE = column("usage_details");
    private static final int O_COST = column("cost_details");

    /** An observation's tokens, cost and latency, derived from its merged fields (llm/cost). */
    private static final List<Column> DERIVED = List.of(new Column("input_tokens", "bigint"),
            new Column("output_tokens", "bigint"), new Column("total_tokens", "bigint"),
            new Column("calculated_cost_details", "jsonb"), new Column("given_total_cost", "numeric"),
            new Column("calculated_total_cost", "numeric"), new Column("total_cost", "numeric"),
            new Column("cost_source", "text"), new Column("price_model", "text"),
            new Column("price_valid_from", "timestamptz"), new Column("latency_ms", "double precision"));

    /**
     * A new observation is written with what it derives; one merged with a stored row is returned to derive
     * again. Only those come back: in the usual case (every span new) the statement returns no rows at all.
     */
    private static final String OBSERVATION_UPSERT = "WITH upserted AS (\n"
            + UpsertSql.of("llm_observation", Layouts.KEY, Layouts.OBSERVATION, DERIVED,
                    "project, id, trace_id, type, model, start_time, end_time, usage_details, cost_details, (xmax = 0) AS inserted")
            + "\n) SELECT * FROM upserted WHERE NOT inserted";

    private static final String OBSERVATION_DERIVED = "UPDATE llm_observation o SET "
            + DERIVED.stream().map(c -> c.name() + " = x." + c.name()).collect(Collectors.joining(", "))
            + " FROM jsonb_to_recordset($1::text::jsonb) AS x(project text, id text, "
            + DERIVED.stream().map(c -> c.name() + " " + c.sqlType()).collect(Collectors.joining(", "))
            + ") WHERE o.project = x.project AND o.id = x.id";

    /** A trace's totals recomputed from all its stored observations: after one of them merged with a stored row. */
    private static final String TRACE_ROLLUP = """
            INSERT INTO llm_trace AS t (project, id, observation_count, observations_start, observations_end, latency_ms,
              total_cost, input_tokens, output_tokens, total_tokens, models)
            SELECT o.project, o.trace_id, count(*), min(o.start_time), max(COALESCE(o.end_time, o.start_time)),
              EXTRACT(EPOCH FROM (max(COALESCE(o.end_time, o.start_time)) - min(o.start_time))) * 1000,
              sum(o.total_cost), sum(o.input_tokens), sum(o.output_tokens), sum(o.total_tokens),
              array_agg(DISTINCT o.model ORDER BY o.model) FILTER (WHERE o.model IS NOT NULL)
            FROM llm_observation o JOIN unnest($1::text[], $2::text[]) AS k(project, trace_id)
              ON o.project = k.project AND o.trace_id = k.trace_id
            GROUP BY o.project, o.trace_id
            ON CONFLICT (project, id) DO UPDATE SET observation_count = EXCLUDED.observation_count,
              observations_start = EXCLUDED.observations_start, observations_end = EXCLUDED.observations_end,
              latency_ms = EXCLUDED.latency_ms, total_cost = EXCLUDED.total_cost, input_tokens = EXCLUDED.input_tokens,
              output_tokens = EXCLUDED.output_tokens, total_tokens = EXCLUDED.total_tokens, models = EXCLUDED.models,
              updated_at = now()""";

    /**
     * The same totals, with only new observations added to what the trace holds: the batch's sums, bounds
     * and models folded into the stored ones as the aggregates above would (NULL-ignoring sums, LEAST and
     * GREATEST, a sorted union). Exact because every observation is counted once: the event log drops
     * redeliveries in the same transaction, and a stored observation that changes takes the path above.
     */
    private static final String TRACE_ADD = """
            INSERT INTO llm_trace AS t (project, id, observation_count, observations_start, observations_end, latency_ms,
              total_cost, input_tokens, output_tokens, total_tokens, models)
            SELECT project, id, observation_count, observations_start, observations_end,
              EXTRACT(EPOCH FROM (observations_end - observations_start)) * 1000,
              total_cost, input_tokens, output_tokens, total_tokens, models
            FROM jsonb_to_recordset($1::text::jsonb) AS x(project text, id text, observation_count integer,
              observations_start timestamptz, observations_end timestamptz, total_cost numeric, input_tokens bigint,
              output_tokens bigint, total_tokens bigint, models text[])
            ON CONFLICT (project, id) DO UPDATE SET observation_count = t.observation_count + EXCLUDED.observation_count,
              observations_start = LEAST(t.observations_start, EXCLUDED.observations_start),
              observations_end = GREATEST(t.observations_end, EXCLUDED.observations_end),
              latency_ms = EXTRACT(EPOCH FROM (GREATEST(t.observations_end, EXCLUDED.observations_end)
                - LEAST(t.observations_start, EXCLUDED.observations_start))) * 1000,
              total_cost = COALESCE(t.total_cost + EXCLUDED.total_cost, t.total_cost, EXCLUDED.total_cost),
              input_tokens = COALESCE(t.input_tokens + EXCLUDED.input_tokens, t.input_tokens, EXCLUDED.input_tokens),
              output_tokens = COALESCE(t.output_tokens + EXCLUDED.output_tokens, t.output_tokens, EXCLUDED.output_tokens),
              total_tokens = COALESCE(t.total_tokens + EXCLUDED.total_tokens, t.total_tokens, EXCLUDED.total_tokens),
              models = NULLIF(ARRAY(SELECT DISTINCT m FROM unnest(t.models || EXCLUDED.models) AS m
                WHERE m IS NOT NULL ORDER BY m), '{}'),
              updated_at = now()""";

    private static final String SCORE_UPSERT = """
            INSERT INTO llm_score AS s (project, id, name, trace_id, observation_id, session_id, dataset_run_id, value,
              string_value, data_type, source, comment, metadata, config_id, environment, timestamp, received_at)
            SELECT project, id, name, trace_id, observation_id, session_id, dataset_run_id, value, string_value, data_type,
              source, comment, metadata, config_id, environment, timestamp, received_at
            FROM jsonb_to_recordset($1::text::jsonb) AS x(project text, id text, name text, trace_id text, observation_id text,
              session_id text, dataset_run_id text, value double precision, string_value text, data_type text, source text,
              comment text, metadata jsonb, config_id text, environment text, timestamp timestamptz, received_at timestamptz)
            ON CONFLICT (project, id) DO UPDATE SET name = EXCLUDED.name, trace_id = EXCLUDED.trace_id,
              observation_id = EXCLUDED.observation_id, session_id = EXCLUDED.session_id,
              dataset_run_id = EXCLUDED.dataset_run_id, value = EXCLUDED.value, string_value = EXCLUDED.string_value,
              data_type = EXCLUDED.data_type, source = EXCLUDED.source, comment = EXCLUDED.comment,
              metadata = EXCLUDED.metadata, config_id = EXCLUDED.config_id, environment = EXCLUDED.environment,
              timestamp = EXCLUDED.timestamp, received_at = EXCLUDED.received_at, updated_at = now()
            WHERE EXCLUDED.received_at >= s.received_at""";

    private final Pool db;
    private final ObjectMapper json;
    private final CostCalculator costs;
    private final Duration dedupeRetention;
    private final int storeConnections;
    private final ScoreConfigStore configs;

    public TraceStore(Pool db, ObjectMapper json, CostCalculator costs, MonitorConfig config, ScoreConfigStore configs) {
        this.db = db;
        this.json = json;
        this.costs = costs;
        this.configs = configs;
        this.dedupeRetention = config.llm().dedupeRetention();
        this.storeConnections = Math.max(1, config.llm().storeConnections());
    }

    /**
     * Stores a poll's events in up to {@code monitor.llm.store-connections} transactions side by side,
     * split by {@linkplain Received#traceKey() trace}, so no two write the same rows. When one fails the
     * caller stores the whole poll again: what the others committed is then dropped as redelivered.
     */
    public Uni<Stored> store(List<Received> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().item(new Stored(0, 0, 0, 0, Map.of()));
        }
        // a record's events stay together (its id is logged once, by one transaction): they go where its first event's trace goes
        Map<Integer, List<Received>> groups = new TreeMap<>();
        Map<String, Integer> groupOfRecord = new HashMap<>();
        for (Received r : batch) {
            int group = groupOfRecord.computeIfAbsent(r.eventKey(), k -> Math.floorMod(r.traceKey().hashCode(), storeConnections));
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(r);
        }
        if (groups.size() == 1) {
            return storeTogether(batch);
        }
        return Uni.join().all(groups.values().stream().map(this::storeTogether).toList()).andFailFast()
                .map(all -> all.stream().reduce(Stored::plus).orElseThrow());
    }

    private Uni<Stored> storeTogether(List<Received> events) {
        return db.withTransaction(conn -> fresh(conn, events).chain(fresh -> write(conn, fresh, events.size() - fresh.size())));
    }

    /**
     * The events whose record ids were not seen before (of the records with the same id in the batch,
     * the first one's events), the ids now recorded as seen.
     */
    private Uni<List<Received>> fresh(SqlConnection conn, List<Received> batch) {
        Map<String, Object> sourceOf = new LinkedHashMap<>();
        List<Received> firsts = new ArrayList<>(batch.size());
        for (Received r : batch) {
            Object first = sourceOf.putIfAbsent(r.eventKey(), r.source());
            if (first == null || first.equals(r.source())) {
                firsts.add(r);
            }
        }
        String[] keys = sourceOf.keySet().toArray(String[]::new);
        return conn.preparedQuery("INSERT INTO llm_event_log (event_key) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING RETURNING event_key")
                .execute(Tuple.of((Object) keys))
                .map(rows -> {
                    Set<String> fresh = new HashSet<>();
                    for (Row r : rows) {
                        fresh.add(r.getString(0));
                    }
                    return firsts.stream().filter(r -> fresh.contains(r.eventKey())).toList();
                });
    }

    private Uni<Stored> write(SqlConnection conn, List<Received> events, int duplicates) {
        Map<String, Keyed> traces = new LinkedHashMap<>();
        Map<String, Keyed> observations = new LinkedHashMap<>();
        Map<String, ScoreUpserted> scores = new LinkedHashMap<>();
        int t = 0;
        int o = 0;
        int s = 0;
        for (Received r : events) {
            switch (r.event()) {
                case TraceUpserted e -> {
                    t++;
                    traces.merge(e.project() + "\n" + e.id(), new Keyed(e.project(), e.id(), Layouts.of(e)), Keyed::merge);
                }
                case ObservationUpserted e -> {
                    o++;
                    observations.merge(e.project() + "\n" + e.id(), new Keyed(e.project(), e.id(), Layouts.of(e)), Keyed::merge);
                }
                case ScoreUpserted e -> {
                    s++;
                    scores.merge(e.project() + "\n" + e.id(), e, Layouts::latest);
                }
                default -> throw new IllegalArgumentException("not a trace event: " + r.event().getClass());
            }
        }
        Map<String, String> refused = new LinkedHashMap<>();
        Uni<Void> steps = Uni.createFrom().voidItem();
        if (!traces.isEmpty()) {
            steps = steps.chain(() -> conn.preparedQuery(TRACE_UPSERT).execute(Tuple.of(rows(traces.values(), Layouts.TRACE))).replaceWithVoid());
        }
        if (!observations.isEmpty()) {
            steps = steps.chain(() -> storeObservations(conn, observations.values()));
        }
        if (!scores.isEmpty()) {
            steps = steps.chain(() -> configs.named(conn, scores.values()).chain(named -> {
                List<ScoreUpserted> accepted = new ArrayList<>();
                for (ScoreUpserted e : scores.values()) {
                    ScoreValidation.Outcome outcome = ScoreValidation.check(e,
                            Optional.ofNullable(named.get(ScoreConfigStore.key(e.project(), e.configId()))));
                    if (outcome.isAccepted()) {
                        accepted.add(outcome.accepted());
                    } else {
                        refused.put(e.project() + "/" + e.id(), outcome.refusal());
                    }
                }
                return accepted.isEmpty() ? Uni.createFrom().voidItem()
                        : conn.preparedQuery(SCORE_UPSERT).execute(Tuple.of(scoreRows(accepted))).replaceWithVoid();
            }));
        }
        int t2 = t;
        int o2 = o;
        int s2 = s;
        return steps.map(x -> new Stored(t2, o2, s2 - refused.size(), duplicates, refused));
    }

    /**
     * Upserts the observations, each new one with what it derives from its fields; then derives again
     * those that merged with a stored row, and brings their traces' totals up to date: recomputed for a
     * trace with such an observation, the new observations added for the others (the usual case: a span
     * arrives whole, once).
     */
    private Uni<Void> storeObservations(SqlConnection conn, Collection<Keyed> observations) {
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, TraceTotals> added = new LinkedHashMap<>();
        for (Keyed k : observations) {
            Map<String, Object> row = row(k, Layouts.OBSERVATION);
            Object[] v = k.fields().values();
            @SuppressWarnings("unchecked")
            Derived d = derive((String) v[O_TYPE], (String) v[O_MODEL], (Instant) v[O_START], (Instant) v[O_END],
                    (Map<String, Long>) v[O_USAGE], (Map<String, Double>) v[O_COST]);
            d.into(row);
            rows.add(row);
            if (v[O_TRACE] != null) {
                added.computeIfAbsent(k.project() + "\n" + v[O_TRACE], x -> new TraceTotals(k.project(), (String) v[O_TRACE]))
                        .add((Instant) v[O_START], (Instant) v[O_END], (String) v[O_MODEL], d.cost().total(), d.tokens());
            }
        }
        return conn.preparedQuery(OBSERVATION_UPSERT).execute(Tuple.of(write(rows))).chain(upserted -> {
            List<Map<String, Object>> derivedAgain = new ArrayList<>();
            Set<List<String>> recompute = new LinkedHashSet<>();
            for (Row r : upserted) {
                Derived d = derive(r.getString("type"), r.getString("model"), instant(r.getOffsetDateTime("start_time")),
                        instant(r.getOffsetDateTime("end_time")), longs(r.getJsonObject("usage_details")),
                        doubles(r.getJsonObject("cost_details")));
                Map<String, Object> row = new HashMap<>();
                row.put("project", r.getString("project"));
                row.put("id", r.getString("id"));
                d.into(row);
                derivedAgain.add(row);
                if (r.getString("trace_id") != null) {
                    recompute.add(List.of(r.getString("project"), r.getString("trace_id")));
                }
            }
            // a trace with a merged observation is recomputed whole, so its new ones must not be added too
            recompute.forEach(key -> added.remove(key.get(0) + "\n" + key.get(1)));
            Uni<Void> steps = Uni.createFrom().voidItem();
            if (!derivedAgain.isEmpty()) {
                steps = steps.chain(() -> conn.preparedQuery(OBSERVATION_DERIVED).execute(Tuple.of(write(derivedAgain))).replaceWithVoid());
            }
            if (!recompute.isEmpty()) {
                String[] projects = recompute.stream().map(k -> k.get(0)).toArray(String[]::new);
                String[] ids = recompute.stream().map(k -> k.get(1)).toArray(String[]::new);
                steps = steps.chain(() -> conn.preparedQuery(TRACE_ROLLUP).execute(Tuple.of(projects, ids)).replaceWithVoid());
            }
            if (!added.isEmpty()) {
                List<Map<String, Object>> totals = added.values().stream().map(TraceTotals::row).toList();
                steps = steps.chain(() -> conn.preparedQuery(TRACE_ADD).execute(Tuple.of(write(totals))).replaceWithVoid());
            }
            return steps;
        });
    }

    /** What an observation derives from its fields: the values of {@link #DERIVED}. */
    private record Derived(Tokens tokens, Cost cost, Double latencyMs) {
        void into(Map<String, Object> row) {
            row.put("input_tokens", tokens.input());
            row.put("output_tokens", tokens.output());
            row.put("total_tokens", tokens.total());
            row.put("calculated_cost_details", cost.calculated());
            row.put("given_total_cost", cost.givenTotal());
            row.put("calculated_total_cost", cost.calculatedTotal());
            row.put("total_cost", cost.total());
            row.put("cost_source", cost.source());
            row.put("price_model", cost.priceModel());
            row.put("price_valid_from", cost.priceValidFrom() == null ? null : cost.priceValidFrom().toString());
            row.put("latency_ms", latencyMs);
        }
    }

    private Derived derive(String type, String model, Instant start, Instant end, Map<String, Long> usage, Map<String, Double> given) {
        // as PostgreSQL will store them, so a new row derives what the same row read back would
        start = storedPrecision(start);
        end = storedPrecision(end);
        return new Derived(Tokens.of(usage), costs.of(type, model, start, usage, given),
                start == null || end == null ? null : Duration.between(start, end).toNanos() / 1e6);
    }

    /** Forgets event ids older than {@code monitor.llm.dedupe-retention}. */
    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> prune() {
        return db.preparedQuery("DELETE FROM llm_event_log WHERE seen_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) dedupeRetention.toSeconds()))
                .invoke(rows -> {
                    if (rows.rowCount() > 0) {
                        Log.debugf("forgot %d LLM event ids", rows.rowCount());
                    }
                })
                .onFailure().invoke(e -> Log.warnf("pruning LLM event ids failed: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private record Keyed(String project, String id, Fields fields) {
        Keyed merge(Keyed later) {
            return new Keyed(project, id, fields.merge(later.fields));
        }
    }

    /** Input, output and total tokens of a usage: the usual spellings; total as given, else the sum of every kind. */
    record Tokens(Long input, Long output, Long total) {
        static Tokens of(Map<String, Long> usage) {
            if (usage == null || usage.isEmpty()) {
                return new Tokens(null, null, null);
            }
            Long input = first(usage, "input", "input_tokens", "prompt_tokens");
            Long output = first(usage, "output", "output_tokens", "completion_tokens");
            Long total = first(usage, "total", "total_tokens");
            if (total == null) {
                long sum = 0;
                for (Map.Entry<String, Long> e : usage.entrySet()) {
                    sum += e.getValue() == null ? 0 : e.getValue();
                }
                total = sum;
            }
            return new Tokens(input, output, total);
        }

        private static Long first(Map<String, Long> usage, String... keys) {
            for (String k : keys) {
                if (usage.get(k) != null) {
                    return usage.get(k);
                }
            }
            return null;
        }
    }

    private String rows(Iterable<Keyed> keyed, List<Column> layout) {
        List<Map<String, Object>> out = new ArrayList<>();
        keyed.forEach(k -> out.add(row(k, layout)));
        return write(out);
    }

    /** A merged row as {@link UpsertSql} reads it: key, a value per column of the layout, and the fields' times. */
    private static Map<String, Object> row(Keyed k, List<Column> layout) {
        Map<String, Object> row = new HashMap<>();
        row.put("project", k.project());
        row.put("id", k.id());
        Long[] times = new Long[layout.size()];
        for (int i = 0; i < layout.size(); i++) {
            row.put(layout.get(i).name(), plain(k.fields().value(i)));
            times[i] = k.fields().times()[i] == 0 ? null : k.fields().times()[i];
        }
        row.put("field_times", times);
        return row;
    }

    private String scoreRows(Iterable<ScoreUpserted> scores) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ScoreUpserted s : scores) {
            Map<String, Object> row = new HashMap<>();
            row.put("project", s.project());
            row.put("id", s.id());
            row.put("name", s.name());
            row.put("trace_id", s.traceId());
            row.put("observation_id", s.observationId());
            row.put("session_id", s.sessionId());
            row.put("dataset_run_id", s.datasetRunId());
            row.put("value", s.value());
            row.put("string_value", s.stringValue());
            row.put("data_type", s.dataType());
            row.put("source", s.source());
            row.put("comment", s.comment());
            row.put("metadata", s.metadata());
            row.put("config_id", s.configId());
            row.put("environment", s.environment());
            row.put("timestamp", s.timestamp().toString());
            row.put("received_at", s.receivedAt().toString());
            out.add(row);
        }
        return write(out);
    }

    private static Object plain(Object value) {
        return value instanceof Instant i ? i.toString() : value;
    }

    /** A JSON escape of NUL that is not itself an escaped backslash followed by "u0000". */
    private static final java.util.regex.Pattern NUL_ESCAPE = java.util.regex.Pattern.compile("(?<!\\\\)((?:\\\\\\\\)*)\\\\u0000");

    /**
     * Rows leave out their null columns, which {@code jsonb_to_recordset} reads as null all the same:
     * most of a row's fields are unset, and PostgreSQL parses every byte of the poll's JSON.
     */
    private String write(List<Map<String, Object>> rows) {
        for (Map<String, Object> row : rows) {
            row.values().removeIf(java.util.Objects::isNull);
        }
        return writeJson(rows);
    }

    private String writeJson(Object value) {
        try {
            // PostgreSQL stores no NUL in text or jsonb (22P05), and a client's input may hold one: it
            // becomes U+FFFD instead of costing the whole record
            String text = json.writeValueAsString(value);
            return text.contains("\\u0000") ? NUL_ESCAPE.matcher(text).replaceAll("$1\\\\ufffd") : text;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage());
        }
    }

    private static int column(String name) {
        for (int i = 0; i < Layouts.OBSERVATION.size(); i++) {
            if (Layouts.OBSERVATION.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no observation column " + name);
    }

    /** The instant PostgreSQL stores for {@code t}: microseconds, the rest rounded half to even as its input does. */
    static Instant storedPrecision(Instant t) {
        if (t == null || t.getNano() % 1000 == 0) {
            return t;
        }
        Instant down = t.truncatedTo(ChronoUnit.MICROS);
        int rest = t.getNano() % 1000;
        boolean up = rest > 500 || (rest == 500 && (t.getNano() / 1000) % 2 == 1);
        return up ? down.plus(1, ChronoUnit.MICROS) : down;
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static Map<String, Long> longs(JsonObject o) {
        if (o == null) {
            return null;
        }
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : o) {
            if (e.getValue() instanceof Number n) {
                out.put(e.getKey(), n.longValue());
            }
        }
        return out;
    }

    private static Map<String, Double> doubles(JsonObject o) {
        if (o == null) {
            return null;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : o) {
            if (e.getValue() instanceof Number n) {
                out.put(e.getKey(), n.doubleValue());
            }
        }
        return out;
    }

}
