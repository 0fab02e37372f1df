package io.flywheel.monitor.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The time series of window results and the alert states, in PostgreSQL. */
@ApplicationScoped
public class ResultStore {

    private final Pool db;
    private final ObjectMapper json;

    public ResultStore(Pool db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** One point per window end: the open window's point is updated as it fills. */
    public Uni<Void> save(WindowResult r) {
        return db.preparedQuery("""
                        INSERT INTO window_result (model, version, window_start, window_end, evaluated_at, samples,
                          share_drifted, dataset_drift, result) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)
                        ON CONFLICT (model, version, window_end) DO UPDATE SET window_start = EXCLUDED.window_start,
                          evaluated_at = EXCLUDED.evaluated_at, samples = EXCLUDED.samples,
                          share_drifted = EXCLUDED.share_drifted, dataset_drift = EXCLUDED.dataset_drift, result = EXCLUDED.result""")
                .execute(Tuple.from(new Object[]{r.model(), r.version(), r.windowStart().atOffset(ZoneOffset.UTC),
                        r.windowEnd().atOffset(ZoneOffset.UTC), r.evaluatedAt().atOffset(ZoneOffset.UTC), r.samples(),
                        r.shareDrifted(), r.datasetDrift(), write(r)}))
                .replaceWithVoid();
    }

    public Uni<List<WindowResult>> between(String model, int version, Instant from, Instant to, int limit) {
        return db.preparedQuery("""
                        SELECT result FROM window_result WHERE model = $1 AND version = $2 AND window_end > $3
                          AND window_start <= $4 ORDER BY window_end LIMIT $5""")
                .execute(Tuple.of(model, version, from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC), limit))
                .map(rows -> {
                    List<WindowResult> out = new ArrayList<>();
                    for (Row row : rows) {
                        out.add(read(row.getValue("result").toString()));
                    }
                    return out;
                });
    }

    /** The newest point of every version of a model. */
    public Uni<Map<Integer, WindowResult>> latest(String model) {
        return db.preparedQuery("""
                        SELECT DISTINCT ON (version) version, result FROM window_result WHERE model = $1
                          ORDER BY version, window_end DESC""")
                .execute(Tuple.of(model))
                .map(rows -> {
                    Map<Integer, WindowResult> out = new HashMap<>();
                    for (Row row : rows) {
                        out.put(row.getInteger("version"), read(row.getValue("result").toString()));
                    }
                    return out;
                });
    }

    /** Condition id (kind/key) → active, for one model version. */
    public Uni<Map<String, Boolean>> alertStates(String model, int version) {
        return db.preparedQuery("SELECT kind, key, active FROM alert_state WHERE model = $1 AND version = $2")
                .execute(Tuple.of(model, version))
                .map(rows -> {
                    Map<String, Boolean> out = new HashMap<>();
                    for (Row row : rows) {
                        out.put(row.getString("kind") + "/" + row.getString("key"), row.getBoolean("active"));
                    }
                    return out;
                });
    }

    /** Active alerts of a model: version → list of "kind/key". */
    public Uni<Map<Integer, List<String>>> activeAlerts(String model) {
        return db.preparedQuery("SELECT version, kind, key FROM alert_state WHERE model = $1 AND active ORDER BY kind, key")
                .execute(Tuple.of(model))
                .map(rows -> {
                    Map<Integer, List<String>> out = new HashMap<>();
                    for (Row row : rows) {
                        out.computeIfAbsent(row.getInteger("version"), v -> new ArrayList<>())
                                .add(row.getString("kind") + "/" + row.getString("key"));
                    }
                    return out;
                });
    }

    public Uni<Void> setAlert(String model, int version, String kind, String key, boolean active, Instant at,
                              Map<String, Object> evidence) {
        return db.preparedQuery("""
                        INSERT INTO alert_state (model, version, kind, key, active, changed_at, evidence)
                        VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
                        ON CONFLICT (model, version, kind, key) DO UPDATE SET active = EXCLUDED.active,
                          changed_at = EXCLUDED.changed_at, evidence = EXCLUDED.evidence""")
                .execute(Tuple.from(new Object[]{model, version, kind, key, active, at.atOffset(ZoneOffset.UTC),
                        write(evidence)}))
                .replaceWithVoid();
    }

    private Object write(Object value) {
        try {
            return io.vertx.core.json.Json.decodeValue(json.writeValueAsString(value)); // a JSON value for the jsonb column
        } catch (Exception e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    private WindowResult read(String text) {
        try {
            return json.readValue(text, WindowResult.class);
        } catch (Exception e) {
            throw new IllegalStateException("stored window result does not parse: " + e.getMessage(), e);
        }
    }
}
