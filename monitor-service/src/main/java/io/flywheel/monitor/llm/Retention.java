package io.flywheel.monitor.llm;

import io.flywheel.monitor.config.MonitorConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Deletes LLM traces, observations and scores older than {@code monitor.llm.retention}: a trace by its
 * time (with its observations and scores), the rest (observations and scores of no stored trace,
 * session scores) by their own. Deletes in bounded batches, so a large backlog never holds one long
 * transaction or lock over the tables the consumer writes.
 */
@ApplicationScoped
public class Retention {

    /** What one purge deleted. */
    public record Purged(long traces, long observations, long scores) {
        long total() {
            return traces + observations + scores;
        }
    }

    private static final String OLD_TRACES = """
            WITH old AS (SELECT project, id FROM llm_trace WHERE ts < $1 LIMIT $2),
            o AS (DELETE FROM llm_observation x USING old WHERE x.project = old.project AND x.trace_id = old.id RETURNING 1),
            s AS (DELETE FROM llm_score x USING old WHERE x.project = old.project AND x.trace_id = old.id RETURNING 1),
            t AS (DELETE FROM llm_trace x USING old WHERE x.project = old.project AND x.id = old.id RETURNING 1)
            SELECT (SELECT count(*) FROM t), (SELECT count(*) FROM o), (SELECT count(*) FROM s)""";
    private static final String OLD_OBSERVATIONS = """
            DELETE FROM llm_observation WHERE ctid = ANY(ARRAY(
              SELECT ctid FROM llm_observation WHERE COALESCE(start_time, created_at) < $1 LIMIT $2))""";
    private static final String OLD_SCORES = """
            DELETE FROM llm_score WHERE ctid = ANY(ARRAY(SELECT ctid FROM llm_score WHERE timestamp < $1 LIMIT $2))""";

    private final Pool db;
    private final Duration retention;
    private final int batch;
    private final MeterRegistry metrics;

    @Inject
    public Retention(Pool db, MeterRegistry metrics, MonitorConfig config) {
        this(db, metrics, config.llm().retention(), config.llm().retentionBatch());
    }

    Retention(Pool db, MeterRegistry metrics, Duration retention, int batch) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("monitor.llm.retention must be positive, e.g. P30D; it is " + retention);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("monitor.llm.retention-batch must be at least 1; it is " + batch);
        }
        this.db = db;
        this.metrics = metrics;
        this.retention = retention;
        this.batch = batch;
    }

    @Scheduled(every = "${monitor.llm.retention-interval}", delayed = "2m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return purgeBefore(Instant.now().minus(retention))
                .invoke(p -> {
                    if (p.total() > 0) {
                        Log.infof("LLM retention (%s): deleted %d traces, %d observations, %d scores", retention,
                                p.traces(), p.observations(), p.scores());
                    }
                })
                .onFailure().invoke(e -> Log.warnf("LLM retention failed, tried again at the next run: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Deletes everything older than {@code cutoff}, batch after batch until a batch comes back short. */
    public Uni<Purged> purgeBefore(Instant cutoff) {
        OffsetDateTime before = cutoff.atOffset(ZoneOffset.UTC);
        return traces(before, new Purged(0, 0, 0))
                .chain(p -> repeat(OLD_OBSERVATIONS, before, 0).map(n -> new Purged(p.traces(), p.observations() + n, p.scores())))
                .chain(p -> repeat(OLD_SCORES, before, 0).map(n -> new Purged(p.traces(), p.observations(), p.scores() + n)))
                .invoke(p -> {
                    metrics.counter("flywheel_llm_retention_deleted", "kind", "trace").increment(p.traces());
                    metrics.counter("flywheel_llm_retention_deleted", "kind", "observation").increment(p.observations());
                    metrics.counter("flywheel_llm_retention_deleted", "kind", "score").increment(p.scores());
                });
    }

    private Uni<Purged> traces(OffsetDateTime before, Purged sofar) {
        return db.preparedQuery(OLD_TRACES).execute(Tuple.of(before, batch)).chain(rows -> {
            var r = rows.iterator().next();
            Purged now = new Purged(sofar.traces() + r.getLong(0), sofar.observations() + r.getLong(1),
                    sofar.scores() + r.getLong(2));
            return r.getLong(0) < batch ? Uni.createFrom().item(now) : traces(before, now);
        });
    }

    private Uni<Long> repeat(String sql, OffsetDateTime before, long sofar) {
        return db.preparedQuery(sql).execute(Tuple.of(before, batch)).chain(rows -> {
            long total = sofar + rows.rowCount();
            return rows.rowCount() < batch ? Uni.createFrom().item(total) : repeat(sql, before, total);
        });
    }
}
