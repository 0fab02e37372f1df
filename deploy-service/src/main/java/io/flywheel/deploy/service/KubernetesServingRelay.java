package io.flywheel.deploy.service;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flywheel.deploy.DeploymentRow;
import io.flywheel.deploy.config.DeployConfig;
import io.flywheel.deploy.kubernetes.KubernetesServingTarget;
import io.flywheel.deploy.kubernetes.ServingTarget;
import io.flywheel.deploy.kubernetes.ServingWorkload;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps each model's Kubernetes workload on the primary version its environment serves
 * ({@code deploy.kubernetes.*}): a promotion, a completed canary or a rollback changes the primary
 * version in the database, and the next sync rolls the workload to it. Like {@link ChampionRelay} it
 * always converges on what is live now, so changes that piled up (or a sync that failed) collapse into
 * one rollout and nothing is lost.
 */
@ApplicationScoped
public class KubernetesServingRelay {

    private final boolean enabled;
    private final String environment;
    private final int parallelRollouts;
    private final ServingTarget target;
    /** Deployments read side by side while a sync looks for stale workloads. */
    private static final int VERSION_READS = 4;
    /** The models whose rollouts are being followed now. */
    private final Set<String> rolling = ConcurrentHashMap.newKeySet();

    public KubernetesServingRelay(DeployConfig config, Instance<KubernetesClient> client) {
        DeployConfig.Kubernetes k8s = config.kubernetes();
        this.enabled = k8s.enabled();
        this.environment = k8s.environment();
        this.parallelRollouts = Math.max(1, k8s.parallelRollouts());
        if (enabled) {
            KubernetesClient kube = client.get();
            ServingWorkload workload = new ServingWorkload(k8s.namespace().orElseGet(kube::getNamespace), k8s.image(), k8s.replicas(),
                    k8s.port(), k8s.cpu(), k8s.memory());
            this.target = new KubernetesServingTarget(kube, workload, k8s.rolloutTimeout());
            Log.infof("serving %s's primary versions as Deployments in namespace %s", environment, workload.namespace());
        } else {
            this.target = null;
        }
    }

    @Scheduled(every = "${deploy.kubernetes.sync-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> onSchedule() {
        if (!enabled) {
            return Uni.createFrom().voidItem();
        }
        return sync().onFailure().invoke(e -> Log.warnf("kubernetes serving sync failed, will retry: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * Reads every model's workload version (a few at a time), then starts following each one that
     * differs from its primary version and is not being followed already, at most
     * {@code deploy.kubernetes.parallel-rollouts} at a time, and returns without waiting for them: a
     * rollout that never completes (an image that does not pull) holds one of those slots for its
     * {@code rollout-timeout}, not this sync and with it every other model's rollout, and a model
     * already at its version takes no slot. Returns how many it started.
     */
    public Uni<Integer> sync() {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.createQuery(
                                "from DeploymentRow where environment = :environment and primaryVersion is not null", DeploymentRow.class)
                        .setParameter("environment", environment).getResultList()))
                .chain(rows -> Multi.createFrom().iterable(List.copyOf(rows))
                        .filter(row -> !rolling.contains(row.model))
                        .onItem().transformToUni(this::stale).merge(VERSION_READS)
                        .filter(Optional::isPresent).map(Optional::get)
                        .collect().asList())
                .map(stale -> {
                    int started = 0;
                    for (DeploymentRow row : stale) {
                        if (rolling.size() >= parallelRollouts) {
                            break; // the rest on a later sync, once a slot is free
                        }
                        String model = row.model;
                        if (rolling.add(model)) {
                            started++;
                            roll(model, row.primaryVersion).eventually(() -> rolling.remove(model)).subscribe().with(
                                    rolled -> { },
                                    e -> Log.warnf("model %s: the Kubernetes workload could not be rolled, will retry: %s", model, e.getMessage()));
                        }
                    }
                    return started;
                });
    }

    /** The row when its workload runs another version than the primary (a read of the Deployment, on the worker pool). */
    private Uni<Optional<DeploymentRow>> stale(DeploymentRow row) {
        return Uni.createFrom().item(() -> Objects.equals(target.version(row.model), row.primaryVersion) ? Optional.<DeploymentRow>empty()
                : Optional.of(row)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** The target blocks (it waits for the rollout): on the worker pool, never on the event loop. */
    private Uni<Boolean> roll(String model, int version) {
        return Uni.createFrom().item(() -> {
            Integer running = target.version(model);
            if (Objects.equals(running, version)) {
                return false;
            }
            ServingTarget.Rollout rollout = target.rollTo(model, version);
            if (rollout.done()) {
                Log.infof("model %s: the Kubernetes workload rolled from version %s to %d", model, running, version);
            } else {
                Log.warnf("model %s: the Kubernetes workload's rollout to version %d: %s", model, version, rollout.status().message());
            }
            return rollout.done();
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
