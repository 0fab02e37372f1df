package io.flywheel.deploy.serving;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the predictions each version serves in each environment: in memory on the request path (a
 * {@link LongAdder}, no I/O), added to {@code served_samples} every flush interval. Canary steps and
 * the soak gate read the stored count plus what this replica has not flushed yet. A crash loses at
 * most one interval's counts, which only makes a canary wait a little longer.
 */
@ApplicationScoped
public class SampleCounter {

    private record Key(String model, String environment, int version) {
    }

    private final Map<Key, LongAdder> pending = new ConcurrentHashMap<>();

    /** The counter the request path increments for this version in this environment. */
    public LongAdder counter(String model, String environment, int version) {
        return pending.computeIfAbsent(new Key(model, environment, version), k -> new LongAdder());
    }

    /** Served here and not yet flushed. */
    public long unflushed(String model, String environment, int version) {
        LongAdder adder = pending.get(new Key(model, environment, version));
        return adder == null ? 0 : adder.sum();
    }

    /** Everything served by this version in this environment: stored plus unflushed. Needs a session. */
    public Uni<Long> served(String model, String environment, int version) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "select samples from served_samples where model = :model and environment = :environment and version = :version",
                                Long.class)
                        .setParameter("model", model)
                        .setParameter("environment", environment)
                        .setParameter("version", version)
                        .getSingleResultOrNull())
                .map(stored -> (stored == null ? 0 : stored) + unflushed(model, environment, version));
    }

    @Scheduled(every = "${deploy.serving.flush-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> flushOnSchedule() {
        return flush().onFailure().invoke(e -> Log.warnf("served-sample counts not stored, will retry: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Adds what was counted since the last flush to the database; on failure the counts go back. */
    public Uni<Void> flush() {
        List<Map.Entry<Key, Long>> deltas = new ArrayList<>();
        pending.forEach((key, adder) -> {
            long n = adder.sumThenReset();
            if (n > 0) {
                deltas.add(Map.entry(key, n));
            }
        });
        if (deltas.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> Multi.createFrom().iterable(deltas)
                        .onItem().transformToUniAndConcatenate(delta -> Panache.getSession().chain(session -> session.createNativeQuery(
                                        "insert into served_samples (model, environment, version, samples, first_served_at, last_served_at) "
                                                + "values (:model, :environment, :version, :samples, now(), now()) "
                                                + "on conflict (model, environment, version) do update "
                                                + "set samples = served_samples.samples + excluded.samples, last_served_at = excluded.last_served_at")
                                .setParameter("model", delta.getKey().model())
                                .setParameter("environment", delta.getKey().environment())
                                .setParameter("version", delta.getKey().version())
                                .setParameter("samples", delta.getValue())
                                .executeUpdate()))
                        .collect().last())
                .replaceWithVoid()
                .onFailure().invoke(e -> deltas.forEach(d -> counter(d.getKey().model(), d.getKey().environment(),
                        d.getKey().version()).add(d.getValue())));
    }
}
