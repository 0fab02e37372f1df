package io.flywheel.deploy.service;

import io.flywheel.deploy.DeploymentRow;
import io.flywheel.deploy.rollout.CanaryDecision;
import io.flywheel.deploy.rollout.Deployment;
import io.flywheel.deploy.rollout.Strategy;
import io.flywheel.deploy.rollout.Transition;
import io.flywheel.deploy.serving.SampleCounter;
import io.flywheel.deploy.serving.ServingTable;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Steps running canaries. It keeps nothing in memory: each tick reads every running canary from
 * the database (its step, when the step began, the candidate's sample count then, its frozen
 * policy), asks the policy, and writes the next step under the row's lock. So a restarted deploy, or
 * another replica, carries a canary on from its recorded step.
 */
@ApplicationScoped
public class CanaryDriver {

    private record Running(String model, String environment) {
    }

    private final Environments environments;
    private final DeploymentStore store;
    private final SampleCounter samples;
    private final Signals signals;
    private final ServingTable serving;

    public CanaryDriver(Environments environments, DeploymentStore store, SampleCounter samples, Signals signals,
                        ServingTable serving) {
        this.environments = environments;
        this.store = store;
        this.samples = samples;
        this.signals = signals;
        this.serving = serving;
    }

    @Scheduled(identity = "canary-driver", every = "${deploy.canary.check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> onSchedule() {
        return tick().onFailure().invoke(e -> Log.warnf("canary check failed, will retry: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Checks every running canary once; returns how many moved (advanced or completed). */
    public Uni<Integer> tick() {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.createQuery(
                                "select model, environment from DeploymentRow where candidateStrategy = :canary "
                                        + "and environment in (:environments)", Object[].class)
                        .setParameter("canary", Strategy.CANARY.id())
                        .setParameter("environments", environments.names())
                        .getResultList()))
                .map(rows -> rows.stream().map(r -> new Running((String) r[0], (String) r[1])).toList())
                .chain(this::stepAll);
    }

    private Uni<Integer> stepAll(List<Running> running) {
        if (running.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Multi.createFrom().iterable(running)
                .onItem().transformToUniAndConcatenate(r -> step(r)
                        .onFailure().invoke(e -> Log.warnf("canary of %s in %s not checked: %s", r.model(), r.environment(), e.getMessage()))
                        .onFailure().recoverWithItem(false))
                .collect().asList()
                .map(moved -> (int) moved.stream().filter(Boolean::booleanValue).count());
    }

    private Uni<Boolean> step(Running r) {
        Instant now = Times.now();
        // Store this replica's counts first: the step's baseline is then what the database holds, so
        // a crash right after the step moves cannot leave the baseline above what survives it.
        return samples.flush().chain(() -> Panache.withTransaction(() -> store.lock(r.model(), r.environment()).chain(row -> {
                    Deployment d = row.toDomain();
                    Deployment.Candidate canary = d.candidate();
                    if (canary == null || !canary.isCanary()) {
                        return Uni.createFrom().item(false);
                    }
                    return samples.served(r.model(), r.environment(), canary.version())
                            .chain(served -> signals.degradedNow(r.model(), canary.version(), canary.since()).chain(degraded -> {
                                CanaryDecision decision = canary.policy().decide(canary.step(), canary.stepStartedAt(),
                                        served - canary.stepSamplesAtStart(), degraded, now);
                                Optional<Transition> t = d.advance(decision, served, now);
                                if (t.isEmpty()) {
                                    return Uni.createFrom().item(false);
                                }
                                return store.record(row, t.get(), Strategy.CANARY.id(), "deploy", "canary policy",
                                        decision.evidence(), canary.promotionId(), now).replaceWith(true);
                            }));
                })))
                .call(moved -> moved ? serving.refresh(r.model(), r.environment()) : Uni.createFrom().voidItem())
                .invoke(moved -> {
                    if (moved) {
                        Log.infof("canary of %s in %s moved on", r.model(), r.environment());
                    }
                });
    }
}
