package io.flywheel.monitor.llm.score;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.events.QualityDegraded;
import io.flywheel.monitor.config.MonitorConfig;
import io.flywheel.monitor.evaluation.MonitorEvents;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Score monitors: their policies ({@code llm_score_monitor}) and their scheduled evaluation. On every
 * tick each policy's windows are judged ({@link ScoreMonitor}); a degraded window is written to
 * {@code llm_score_degradation} once (its key is monitor, group and window), then sent as
 * {@code quality.degraded} with an id derived from that key, and marked sent. A row whose send failed
 * is sent again on the next tick with the same id, so consumers drop a repeat.
 */
@ApplicationScoped
public class ScoreMonitors {

    private static final String COLUMNS = "project, score_name, group_by, window_seconds, min_count, min_mean, max_drop, drift_alpha, "
            + "baseline, lookback_windows";

    private final Pool db;
    private final ScoreReads reads;
    private final MonitorEvents events;
    private final ObjectMapper json;
    private final int maxSamples;

    public ScoreMonitors(Pool db, ScoreReads reads, MonitorEvents events, ObjectMapper json, MonitorConfig config) {
        this.db = db;
        this.reads = reads;
        this.events = events;
        this.json = json;
        this.maxSamples = config.llm().scoreMonitorMaxSamples();
    }

    public Uni<ScoreMonitorPolicy> put(ScoreMonitorPolicy p) {
        return db.preparedQuery("INSERT INTO llm_score_monitor (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
                        + "ON CONFLICT (project, score_name, group_by) DO UPDATE SET window_seconds = EXCLUDED.window_seconds, "
                        + "min_count = EXCLUDED.min_count, min_mean = EXCLUDED.min_mean, max_drop = EXCLUDED.max_drop, "
                        + "drift_alpha = EXCLUDED.drift_alpha, baseline = EXCLUDED.baseline, "
                        + "lookback_windows = EXCLUDED.lookback_windows, updated_at = now() RETURNING " + COLUMNS)
                .execute(Tuple.from(Arrays.asList(p.project(), p.scoreName(), p.groupBy().value(), p.window().toSeconds(), p.minCount(),
                        p.minMean(), p.maxDrop(), p.driftAlpha(), p.baseline().value(), p.lookbackWindows())))
                .map(rows -> policies(rows).getFirst());
    }

    /** A project's policies, or every project's when {@code project} is null. */
    public Uni<List<ScoreMonitorPolicy>> list(String project) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM llm_score_monitor WHERE $1::text IS NULL OR project = $1 "
                + "ORDER BY project, score_name, group_by").execute(Tuple.of(project)).map(ScoreMonitors::policies);
    }

    /** Whether the policy existed. */
    public Uni<Boolean> delete(String project, String scoreName, ScoreGroup.By by) {
        return db.preparedQuery("DELETE FROM llm_score_monitor WHERE project = $1 AND score_name = $2 AND group_by = $3")
                .execute(Tuple.of(project, scoreName, by.value())).map(rows -> rows.rowCount() > 0);
    }

    @Scheduled(every = "${monitor.llm.score-evaluation-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> onSchedule() {
        return evaluateAll(Instant.now()).onFailure().invoke(e -> Log.warnf(e, "score monitoring failed, will retry"))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Judges every policy at {@code now}, then sends what is not sent yet; returns how many events were sent. */
    public Uni<Integer> evaluateAll(Instant now) {
        return list(null).chain(policies -> Multi.createFrom().iterable(policies)
                        .onItem().transformToUniAndConcatenate(p -> evaluate(p, now)
                                .onFailure().invoke(e -> Log.warnf("score monitor %s/%s by %s failed: %s", p.project(), p.scoreName(),
                                        p.groupBy().value(), e.getMessage()))
                                .onFailure().recoverWithNull())
                        .collect().asList())
                .chain(this::sendPending);
    }

    private Uni<Void> evaluate(ScoreMonitorPolicy p, Instant now) {
        Instant to = ScoreMonitor.windowStart(now, p.window());
        return reads.samples(p.project(), p.scoreName(), p.groupBy(), ScoreMonitor.readFrom(p, now), to, maxSamples)
                .chain(samples -> {
                    if (samples.size() >= maxSamples) {
                        Log.warnf("score monitor %s/%s read its cap of %d scores (the newest): its oldest windows are judged on part of their scores",
                                p.project(), p.scoreName(), maxSamples);
                    }
                    // the statistics run on a worker thread (an exact KS p-value can take a while)
                    return Uni.createFrom().item(() -> ScoreMonitor.evaluate(p, samples, now))
                            .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
                })
                .chain(found -> Multi.createFrom().iterable(found)
                        .onItem().transformToUniAndConcatenate(d -> record(p, d, now)).collect().asList().replaceWithVoid());
    }

    /** The degradation's row, unless its window was reported already. */
    private Uni<Void> record(ScoreMonitorPolicy p, ScoreMonitor.Degradation d, Instant now) {
        ScoreGroup g = d.group();
        String key = p.project() + "|" + p.scoreName() + "|" + p.groupBy().value() + "|" + g.key() + "|" + d.windowStart();
        String id = UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
        QualityDegraded event = QualityDegraded.ofLlm(new QualityDegraded.LlmSubject(p.project(), p.scoreName(), p.groupBy().value(),
                        g.promptName(), g.promptVersion(), g.model()), d.metric(), d.value(), d.threshold(), d.windowStart(),
                d.windowEnd(), d.samples(), now, d.evidence());
        String payload;
        try {
            payload = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return db.preparedQuery("INSERT INTO llm_score_degradation (project, score_name, group_by, group_key, window_start, event_id, "
                        + "event_key, payload) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb) ON CONFLICT DO NOTHING")
                .execute(Tuple.from(List.of(p.project(), p.scoreName(), p.groupBy().value(), g.key(),
                        d.windowStart().atOffset(ZoneOffset.UTC), id, p.project() + "/" + (g.promptName() != null ? g.promptName() : g.model()),
                        payload)))
                .invoke(rows -> {
                    if (rows.rowCount() > 0) {
                        Log.infof("score %s of %s in project %s degraded in window %s: %s = %s (threshold %s)", p.scoreName(), g.label(),
                                p.project(), d.windowStart(), d.metric(), d.value(), d.threshold());
                    }
                })
                .replaceWithVoid();
    }

    /** A degradation found: the event as sent (or to be sent) and whether Kafka has taken it. */
    public record Degradation(Instant detectedAt, boolean sent, String eventId, QualityDegraded event) {
    }

    /** A project's degradations, newest first. */
    public Uni<List<Degradation>> degradations(String project, int limit) {
        return db.preparedQuery("SELECT detected_at, sent, event_id, payload::text AS payload FROM llm_score_degradation "
                        + "WHERE project = $1 ORDER BY detected_at DESC, event_id LIMIT $2").execute(Tuple.of(project, limit))
                .map(rows -> {
                    List<Degradation> found = new ArrayList<>();
                    rows.forEach(r -> found.add(new Degradation(r.getOffsetDateTime("detected_at").toInstant(), r.getBoolean("sent"),
                            r.getString("event_id"), event(r.getString("payload")))));
                    return found;
                });
    }

    private Uni<Integer> sendPending(Object ignored) {
        return db.preparedQuery("SELECT project, score_name, group_by, group_key, window_start, event_id, event_key, payload::text AS payload "
                        + "FROM llm_score_degradation WHERE NOT sent ORDER BY detected_at LIMIT 1000").execute()
                .chain(rows -> {
                    List<Row> pending = new ArrayList<>();
                    rows.forEach(pending::add);
                    return Multi.createFrom().iterable(pending).onItem().transformToUniAndConcatenate(r ->
                                    events.send(r.getString("event_id"), QualityDegraded.TYPE, r.getString("event_key"), event(r.getString("payload")))
                                            .chain(() -> db.preparedQuery("UPDATE llm_score_degradation SET sent = true WHERE project = $1 "
                                                    + "AND score_name = $2 AND group_by = $3 AND group_key = $4 AND window_start = $5")
                                                    .execute(Tuple.of(r.getString("project"), r.getString("score_name"),
                                                            r.getString("group_by"), r.getString("group_key"),
                                                            r.getOffsetDateTime("window_start"))))
                                            .replaceWith(1))
                            .collect().asList().map(List::size);
                });
    }

    private QualityDegraded event(String payload) {
        try {
            return json.readValue(payload, QualityDegraded.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored degradation does not read back: " + e.getOriginalMessage());
        }
    }

    private static List<ScoreMonitorPolicy> policies(RowSet<Row> rows) {
        List<ScoreMonitorPolicy> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(new ScoreMonitorPolicy(r.getString("project"), r.getString("score_name"), ScoreGroup.By.parse(r.getString("group_by")),
                    Duration.ofSeconds(r.getLong("window_seconds")), r.getInteger("min_count"), r.getDouble("min_mean"),
                    r.getDouble("max_drop"), r.getDouble("drift_alpha"), ScoreMonitorPolicy.Baseline.parse(r.getString("baseline")),
                    r.getInteger("lookback_windows")));
        }
        return out;
    }
}
