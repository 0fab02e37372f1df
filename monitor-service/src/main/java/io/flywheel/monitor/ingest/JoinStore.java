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
        return db.preparedQuery("""
                        INSERT INTO labelled_join AS j (request_id, model, version, prediction_time, inputs, output, has_prediction)
                        VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, true)
                        ON CONFLICT (request_id) DO UPDATE SET version = EXCLUDED.version,
                          prediction_time = EXCLUDED.prediction_time, inputs = EXCLUDED.inputs, output = EXCLUDED.output,
                          has_prediction = true,
                          joined_by = COALESCE(j.joined_by, CASE WHEN j.label IS NOT NULL THEN 'prediction' END),
                          joined_at = COALESCE(j.joined_at, CASE WHEN j.label IS NOT NULL THEN now() END)
                        RETURNING joined_by, version, prediction_time, output, label""")
                .execute(Tuple.from(new Object[]{p.requestId(), p.model(), p.version(), p.time().atOffset(ZoneOffset.UTC),
                        write(p.inputs()), write(p.output())}))
                .map(rows -> joinedBy(rows.iterator().next(), PREDICTION_SIDE));
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
