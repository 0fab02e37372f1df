package io.flywheel.monitor.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.events.FeedbackReceived;
import io.flywheel.events.PredictionLogged;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Joins predictions and labels by request id in PostgreSQL. Each side upserts its half; the side
 * that completes the pair is written into {@code joined_by} once and for all, so exactly one
 * consumer folds the pair into quality, and does so again (into its restored state) if it replays
 * the record after a crash.
 */
@ApplicationScoped
public class JoinStore {

    public static final String PREDICTION_SIDE = "prediction";
    public static final String FEEDBACK_SIDE = "feedback";

    /** A pair completed by the calling side: what quality needs. */
    public record Joined(int version, long predictionTimeMillis, Object output, Object label) {
    }

    private final Pool db;
    private final ObjectMapper json;

    public JoinStore(Pool db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** Records the prediction; the pair if this completed it (its label was waiting). */
    public Uni<Optional<Joined>> prediction(PredictionLogged p) {
        return predictions(List.of(p)).map(pairs -> Optional.ofNullable(pairs.get(p.requestId())));
    }

    /**
     * Records a poll's predictions in one statement; the pairs they completed, by request id. A request id
     * sent twice in one poll is recorded once, with its last prediction (one statement may not update a row
     * twice). Rows are taken in request id order, so two statements never wait on each other's rows.
     */
    public Uni<Map<String, Joined>> predictions(List<PredictionLogged> predictions) {
        Map<String, PredictionLogged> last = new LinkedHashMap<>();
        predictions.forEach(p -> last.put(p.requestId(), p));
        int n = last.size();
        if (n == 0) {
            return Uni.createFrom().item(Map.of());
        }
        String[] ids = new String[n];
        String[] models = new String[n];
        Integer[] versions = new Integer[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        String[] inputs = new String[n];
        String[] outputs = new String[n];
        int i = 0;
        for (PredictionLogged p : last.values()) {
            ids[i] = p.requestId();
            models[i] = p.model();
            versions[i] = p.version();
            times[i] = p.time().atOffset(ZoneOffset.UTC);
            inputs[i] = text(p.inputs());
            outputs[i] = text(p.output());
            i++;
        }
        return db.preparedQuery("""
                        INSERT INTO labelled_join AS j (request_id, model, version, prediction_time, inputs, output, has_prediction)
                        SELECT r, m, v, t, i::jsonb, o::jsonb, true
                        FROM unnest($1::text[], $2::text[], $3::int[], $4::timestamptz[], $5::text[], $6::text[]) AS x(r, m, v, t, i, o)
                        ORDER BY r
                        ON CONFLICT (request_id) DO UPDATE SET version = EXCLUDED.version,
                          prediction_time = EXCLUDED.prediction_time, inputs = EXCLUDED.inputs, output = EXCLUDED.output,
                          has_prediction = true,
                          joined_by = COALESCE(j.joined_by, CASE WHEN j.label IS NOT NULL THEN 'prediction' END),
                          joined_at = COALESCE(j.joined_at, CASE WHEN j.label IS NOT NULL THEN now() END)
                        RETURNING request_id, joined_by, version, prediction_time, output, label""")
                .execute(Tuple.of(ids, models, versions, times, inputs, outputs))
                .map(rows -> {
                    Map<String, Joined> joined = new HashMap<>();
                    for (Row row : rows) {
                        joinedBy(row, PREDICTION_SIDE).ifPresent(pair -> joined.put(row.getString("request_id"), pair));
                    }
                    return joined;
                });
    }

    /** Records the label; the pair if this completed it (its prediction was waiting). */
    public Uni<Optional<Joined>> label(FeedbackReceived f) {
        return db.preparedQuery("""
                        INSERT INTO labelled_join AS j (request_id, model, label, labelled_at) VALUES ($1, $2, $3::jsonb, $4)
                        ON CONFLICT (request_id) DO UPDATE SET label = EXCLUDED.label, labelled_at = EXCLUDED.labelled_at,
                          joined_by = COALESCE(j.joined_by, CASE WHEN j.has_prediction THEN 'feedback' END),
                          joined_at = COALESCE(j.joined_at, CASE WHEN j.has_prediction THEN now() END)
                        RETURNING joined_by, version, prediction_time, output, label""")
                .execute(Tuple.of(f.requestId(), f.model(), write(f.label()), f.time().atOffset(ZoneOffset.UTC)))
                .map(rows -> joinedBy(rows.iterator().next(), FEEDBACK_SIDE));
    }

    private Optional<Joined> joinedBy(Row row, String side) {
        if (!side.equals(row.getString("joined_by"))) {
            return Optional.empty();
        }
        OffsetDateTime time = row.getOffsetDateTime("prediction_time");
        return Optional.of(new Joined(row.getInteger("version"), time.toInstant().toEpochMilli(),
                read(row.getValue("output")), read(row.getValue("label"))));
    }

    private Object write(Object value) {
        try {
            return io.vertx.core.json.Json.decodeValue(json.writeValueAsString(value)); // a JSON value for the jsonb column
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot write as JSON: " + e.getMessage());
        }
    }

    private String text(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot write as JSON: " + e.getMessage());
        }
    }

    private Object read(Object jsonb) {
        if (jsonb == null || jsonb instanceof String || jsonb instanceof Number || jsonb instanceof Boolean) {
            return jsonb; // a JSON scalar comes back as its Java value
        }
        try {
            return json.readValue(jsonb.toString(), Object.class);
        } catch (Exception e) {
            throw new IllegalStateException("stored JSON does not parse: " + e.getMessage());
        }
    }
}
