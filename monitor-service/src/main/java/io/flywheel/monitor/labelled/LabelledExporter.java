package io.flywheel.monitor.labelled;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.monitor.config.MonitorConfig;
import io.flywheel.monitor.storage.ObjectStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Appends every prediction that got its label to JSON Lines segments in S3 for retraining
 * (docs/CONTRACTS.md): {@code labelled/<model>/<yyyy-MM-dd>/<segment>.jsonl}, one line per labelled
 * prediction, day of the label. A segment is named by the hash of its request ids, so one written
 * again after a crash (before its rows were marked) overwrites itself instead of duplicating rows.
 * Also drops predictions and labels that waited longer than {@code monitor.join-wait}, counting them.
 */
@ApplicationScoped
public class LabelledExporter {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private final Pool db;
    private final ObjectStore store;
    private final ObjectMapper json;
    private final MonitorConfig config;
    private final Counter exported;
    private final MeterRegistry meters;

    public LabelledExporter(Pool db, ObjectStore store, ObjectMapper json, MonitorConfig config, MeterRegistry meters) {
        this.db = db;
        this.store = store;
        this.json = json;
        this.config = config;
        this.meters = meters;
        this.exported = meters.counter("flywheel.monitor.labelled.exported");
    }

    @Scheduled(every = "${monitor.labelled.export-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> onSchedule() {
        return exportPending().chain(this::dropUnmatched)
                .onFailure().invoke(e -> Log.warnf("labelled export failed, will retry: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Writes one segment per model and day of what is pending; returns the rows written. */
    public Uni<Integer> exportPending() {
        return db.preparedQuery("""
                        SELECT request_id, model, version, prediction_time, labelled_at, inputs, output, label
                        FROM labelled_join WHERE joined_by IS NOT NULL AND NOT exported
                        ORDER BY joined_at, request_id LIMIT $1""")
                .execute(Tuple.of(config.labelled().maxRowsPerSegment()))
                .chain(rows -> {
                    Map<String, List<Row>> segments = new LinkedHashMap<>();
                    for (Row row : rows) {
                        String day = DAY.format(row.getOffsetDateTime("labelled_at").toInstant());
                        segments.computeIfAbsent("labelled/" + row.getString("model") + "/" + day + "/", k -> new ArrayList<>())
                                .add(row);
                    }
                    return Multi.createFrom().iterable(segments.entrySet())
                            .onItem().transformToUniAndConcatenate(e -> write(e.getKey(), e.getValue()))
                            .collect().asList()
                            .map(sizes -> sizes.stream().mapToInt(Integer::intValue).sum());
                });
    }

    private Uni<Integer> write(String prefix, List<Row> rows) {
        StringBuilder body = new StringBuilder();
        List<String> ids = new ArrayList<>();
        for (Row row : rows) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("request_id", row.getString("request_id"));
            line.put("model", row.getString("model"));
            line.put("version", row.getInteger("version"));
            line.put("time", row.getOffsetDateTime("prediction_time").toInstant().toString());
            line.put("labelled_at", row.getOffsetDateTime("labelled_at").toInstant().toString());
            line.put("features", parse(row.getValue("inputs")));
            line.put("prediction", parse(row.getValue("output")));
            line.put("label", parse(row.getValue("label")));
            try {
                body.append(json.writeValueAsString(line)).append('\n');
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            ids.add(row.getString("request_id"));
        }
        String key = prefix + segmentName(ids) + ".jsonl";
        return store.put(key, body.toString().getBytes(StandardCharsets.UTF_8), "application/x-ndjson")
                .chain(() -> db.preparedQuery("UPDATE labelled_join SET exported = true WHERE request_id = ANY($1)")
                        .execute(Tuple.of(ids.toArray(String[]::new))))
                .invoke(() -> {
                    exported.increment(ids.size());
                    Log.debugf("labelled segment %s: %d rows", key, ids.size());
                })
                .replaceWith(ids.size());
    }

    /** Drops what waited too long (counted per model and side) and joined rows exported long enough ago. */
    public Uni<Void> dropUnmatched() {
        long waitSeconds = config.joinWait().toSeconds();
        long keepSeconds = config.joinRetention().toSeconds();
        return db.preparedQuery("""
                        WITH dropped AS (
                          DELETE FROM labelled_join WHERE joined_by IS NULL AND created_at < now() - make_interval(secs => $1)
                          RETURNING model, CASE WHEN has_prediction THEN 'prediction' ELSE 'label' END AS side)
                        INSERT INTO unmatched_count (model, side, count)
                          SELECT model, side, count(*) FROM dropped GROUP BY model, side
                        ON CONFLICT (model, side) DO UPDATE SET count = unmatched_count.count + EXCLUDED.count
                        RETURNING side, count""")
                .execute(Tuple.of((double) waitSeconds))
                .invoke(rows -> rows.forEach(r -> Log.infof("unmatched %ss dropped after waiting %d s", r.getString("side"), waitSeconds)))
                .chain(() -> db.preparedQuery("""
                                DELETE FROM labelled_join WHERE exported AND joined_at < now() - make_interval(secs => $1)""")
                        .execute(Tuple.of((double) keepSeconds)))
                .replaceWithVoid();
    }

    private Object parse(Object jsonb) {
        if (jsonb == null || jsonb instanceof String || jsonb instanceof Number || jsonb instanceof Boolean) {
            return jsonb;
        }
        try {
            return json.readValue(jsonb.toString(), Object.class);
        } catch (Exception e) {
            return jsonb.toString();
        }
    }

    private static String segmentName(List<String> ids) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String id : ids) {
                sha.update(id.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 32);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
