package io.flywheel.deploy.service;

import io.flywheel.deploy.DeploymentRow;
import io.flywheel.deploy.MonitorSignal;
import io.flywheel.deploy.rollout.Deployment;
import io.flywheel.deploy.rollout.Transition;
import io.flywheel.deploy.serving.ServingTable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rollbacks: by hand (one step back: a running canary or shadow goes, else the previous version
 * returns) and automatic, when the monitor reports a live version degraded or drifted: a candidate
 * always, a primary where the environment's policy says so.
 */
@ApplicationScoped
public class RollbackService {

    /** A verdict of the monitor on a version, as deploy records it. */
    public record Verdict(String eventId, String type, String model, int version, String signal, String kind, String detail,
                          Map<String, Object> evidence, Instant detectedAt) {
    }

    private final Environments environments;
    private final DeploymentStore store;
    private final Signals signals;
    private final ServingTable serving;
    private final MeterRegistry meters;

    public RollbackService(Environments environments, DeploymentStore store, Signals signals, ServingTable serving,
                           MeterRegistry meters) {
        this.environments = environments;
        this.store = store;
        this.signals = signals;
        this.serving = serving;
        this.meters = meters;
    }

    /** One step back, by hand. */
    public Uni<Deployment> rollback(String model, String environment, String ifMatch, String actor, String reason) {
        environments.require(environment);
        Instant now = Times.now();
        return Panache.withTransaction(() -> store.lock(model, environment).chain(row -> {
                    Deployment current = row.toDomain();
                    DeploymentStore.checkIfMatch(ifMatch, current);
                    Transition t = current.rollback(now);
                    Map<String, Object> evidence = new LinkedHashMap<>();
                    evidence.put("trigger", "api");
                    evidence.put("before", DeploymentStore.liveMaps(current.live()));
                    return store.record(row, t, null, actor, reason, evidence, null, now).replaceWith(t.after());
                }))
                .call(after -> serving.refresh(model, environment))
                .invoke(after -> {
                    count("api");
                    Log.infof("rolled back %s in %s for %s: now %s", model, environment, actor, after.live());
                });
    }

    /**
     * Applies a monitor verdict once (by event id): a degradation rolls back the version wherever it
     * is a candidate, and where it is primary if policy says so. Returns the environments changed.
     */
    public Uni<List<String>> onVerdict(Verdict v) {
        Instant now = Times.now();
        MonitorSignal signal = new MonitorSignal();
        signal.eventId = v.eventId();
        signal.model = v.model();
        signal.version = v.version();
        signal.signal = v.signal();
        signal.kind = v.kind();
        signal.detail = v.detail();
        signal.evidence = v.evidence();
        signal.detectedAt = v.detectedAt() == null ? now : v.detectedAt();
        signal.receivedAt = now;
        return Panache.withTransaction(() -> signals.remember(signal).chain(fresh -> {
                    if (!fresh || !MonitorSignal.DEGRADED.equals(v.signal())) {
                        return Uni.createFrom().item(List.<String>of());
                    }
                    return Panache.getSession().chain(session -> session.createQuery(
                                            "from DeploymentRow where model = :model and environment in (:environments) order by environment",
                                            DeploymentRow.class)
                                    .setParameter("model", v.model())
                                    .setParameter("environments", environments.names())
                                    .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                                    .getResultList())
                            .chain(rows -> Multi.createFrom().iterable(rows)
                                    .onItem().transformToUniAndConcatenate(row -> rollbackOne(row, v, now))
                                    .filter(Optional::isPresent).map(Optional::get)
                                    .collect().asList());
                }))
                .call(changed -> Multi.createFrom().iterable(changed)
                        .onItem().transformToUniAndConcatenate(env -> serving.refresh(v.model(), env))
                        .collect().last());
    }

    private Uni<Optional<String>> rollbackOne(DeploymentRow row, Verdict v, Instant now) {
        Deployment current = row.toDomain();
        Optional<Transition> t = current.rollbackVersion(v.version(), environments.rollsBackPrimary(row.environment), now);
        if (t.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("trigger", v.type());
        evidence.put("event_id", v.eventId());
        evidence.put("kind", v.kind());
        evidence.put("detail", v.detail());
        evidence.put("monitor", v.evidence());
        evidence.put("before", DeploymentStore.liveMaps(current.live()));
        String reason = "the monitor reported version " + v.version() + " degraded (" + v.kind() + ": " + v.detail() + ")";
        count("monitor");
        Log.warnf("automatic rollback of %s version %d in %s: %s", v.model(), v.version(), row.environment, reason);
        return store.record(row, t.get(), null, "monitor", reason, evidence, null, now).replaceWith(Optional.of(row.environment));
    }

    private void count(String trigger) {
        Counter.builder("deploy.rollbacks").description("Rollbacks by trigger").tag("trigger", trigger).register(meters).increment();
    }
}
