package io.flywheel.deploy.service;

import io.flywheel.deploy.MonitorSignal;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

/** Deploy's record of the monitor's verdicts, read inside the caller's session. */
@ApplicationScoped
public class Signals {

    /** Stores the signal; false when its event was already applied. */
    public Uni<Boolean> remember(MonitorSignal signal) {
        return Panache.getSession().chain(session -> session.find(MonitorSignal.class, signal.eventId)
                .chain(existing -> existing != null ? Uni.createFrom().item(false)
                        : session.persist(signal).chain(session::flush).replaceWith(true)));
    }

    /** Whether the latest verdict on the version since {@code since} is "degraded" (no recovery after it). */
    public Uni<Boolean> degradedNow(String model, int version, Instant since) {
        return Panache.getSession().chain(session -> session.createQuery(
                                "from MonitorSignal where model = :model and version = :version and receivedAt >= :since "
                                        + "order by receivedAt desc", MonitorSignal.class)
                        .setParameter("model", model)
                        .setParameter("version", version)
                        .setParameter("since", since)
                        .setMaxResults(1)
                        .getResultList())
                .map(latest -> !latest.isEmpty() && MonitorSignal.DEGRADED.equals(latest.getFirst().signal));
    }

    /** Every degradation reported for the version since {@code since}, described. */
    public Uni<List<String>> degradationsSince(String model, int version, Instant since) {
        return Panache.getSession().chain(session -> session.createQuery(
                                "from MonitorSignal where model = :model and version = :version and signal = :signal "
                                        + "and receivedAt >= :since order by receivedAt", MonitorSignal.class)
                        .setParameter("model", model)
                        .setParameter("version", version)
                        .setParameter("signal", MonitorSignal.DEGRADED)
                        .setParameter("since", since)
                        .getResultList())
                .map(rows -> rows.stream().map(s -> s.kind + ": " + s.detail).toList());
    }
}
