package io.flywheel.deploy.service;

import io.flywheel.deploy.ConflictException;
import io.flywheel.deploy.GateFailedException;
import io.flywheel.deploy.NotFoundException;
import io.flywheel.deploy.PromotionRecord;
import io.flywheel.deploy.policy.PromotionPolicy;
import io.flywheel.deploy.rollout.Deployment;
import io.flywheel.deploy.rollout.Strategy;
import io.flywheel.deploy.serving.SampleCounter;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Promotes by policy: for each model whose promotion policy says so, the version serving all of
 * {@code from} goes on to {@code to} once it soaked there long enough and served enough predictions,
 * through the same gates as any promotion, as actor "policy". One try per version (the promotion's
 * idempotency key), so a version that failed its gates or was rolled back is not tried again; a new
 * version is. Nothing is kept in memory: each tick reads the policies and deployments.
 */
@ApplicationScoped
public class AutoPromoter {

    private final PromotionPolicies policies;
    private final PromotionService promotions;
    private final DeploymentStore store;
    private final SampleCounter samples;

    public AutoPromoter(PromotionPolicies policies, PromotionService promotions, DeploymentStore store, SampleCounter samples) {
        this.policies = policies;
        this.promotions = promotions;
        this.store = store;
        this.samples = samples;
    }

    @Scheduled(identity = "auto-promoter", every = "${deploy.canary.check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> onSchedule() {
        return tick().onFailure().invoke(e -> Log.warnf("automatic promotions not checked, will retry: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Checks every automatic policy once; returns how many promotions it tried. */
    public Uni<Integer> tick() {
        return samples.flush().chain(policies::automatic)
                .chain(all -> Multi.createFrom().iterable(all)
                        .onItem().transformToUniAndConcatenate(s -> consider(s.row().model, s.row().revision, s.policy())
                                .onFailure().invoke(e -> Log.warnf("automatic promotion of %s not checked: %s", s.row().model, e.getMessage()))
                                .onFailure().recoverWithItem(false))
                        .collect().asList())
                .map(tried -> (int) tried.stream().filter(Boolean::booleanValue).count());
    }

    private Uni<Boolean> consider(String model, long revision, PromotionPolicy policy) {
        Instant now = Times.now();
        return Panache.withSession(() -> store.current(model, policy.from()).chain(from -> store.current(model, policy.to())
                .chain(to -> {
                    Integer version = from.primary();
                    if (version == null || from.candidate() != null || to.serves(version) || to.candidate() != null) {
                        return Uni.createFrom().item((PromotionService.Command) null);
                    }
                    return tried(model, policy.to(), version).chain(tried -> tried ? Uni.createFrom().item((PromotionService.Command) null)
                            : samples.served(model, policy.from(), version).map(served -> soaked(model, revision, policy, from, version,
                            served, now)));
                })))
                .chain(command -> command == null ? Uni.createFrom().item(false) : promote(command));
    }

    /** The promotion to ask for, once the version soaked long enough; null before. */
    private static PromotionService.Command soaked(String model, long revision, PromotionPolicy policy, Deployment from, int version,
                                                   long served, Instant now) {
        Duration soaked = Duration.between(from.primarySince(), now);
        if (soaked.compareTo(policy.soakTime()) < 0 || served < policy.soakSamples()) {
            return null;
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("policy_revision", revision);
        evidence.put("soaked_in", policy.from());
        evidence.put("soaked_seconds", soaked.toMillis() / 1000.0);
        evidence.put("min_soak_seconds", policy.soakTime().toMillis() / 1000.0);
        evidence.put("samples", served);
        evidence.put("min_samples", policy.soakSamples());
        String reason = "promotion policy: version " + version + " soaked " + soaked.toSeconds() + " s and served " + served
                + " predictions in " + policy.from();
        return new PromotionService.Command(model, policy.to(), version, policy.strategy(), reason, "policy",
                PromotionRecord.SOURCE_POLICY, null, "policy-v" + version, null,
                policy.strategy() == Strategy.CANARY ? policy.canary() : null, evidence);
    }

    private Uni<Boolean> promote(PromotionService.Command command) {
        return promotions.promote(command)
                .invoke(outcome -> Log.infof("promotion policy of %s: version %d to %s, %s", command.model(), command.version(),
                        command.environment(), outcome.promotion().status))
                .replaceWith(true)
                .onFailure(GateFailedException.class).recoverWithItem(e -> {
                    Log.infof("promotion policy of %s: version %d stopped by a gate: %s", command.model(), command.version(), e.getMessage());
                    return true;
                })
                .onFailure(ConflictException.class).recoverWithItem(false) // a rollout started meanwhile: next tick
                .onFailure(NotFoundException.class).recoverWithItem(false);
    }

    /** Whether the policy already asked for this version here (whatever came of it). */
    private static Uni<Boolean> tried(String model, String environment, int version) {
        return Panache.getSession().chain(session -> session.createQuery(
                                "select count(*) from PromotionRecord where model = :model and environment = :environment "
                                        + "and version = :version and source = :source", Long.class)
                        .setParameter("model", model)
                        .setParameter("environment", environment)
                        .setParameter("version", version)
                        .setParameter("source", PromotionRecord.SOURCE_POLICY)
                        .getSingleResult())
                .map(n -> n > 0);
    }
}
