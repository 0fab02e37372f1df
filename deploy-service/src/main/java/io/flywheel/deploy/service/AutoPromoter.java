package io.flywheel.deploy.service;

import io.flywheel.deploy.ConflictException;
import io.flywheel.deploy.GateFailedException;
import io.flywheel.deploy.NotFoundException;
import io.flywheel.deploy.PromotionRecord;
import io.flywheel.deploy.policy.CanaryJudge;
import io.flywheel.deploy.policy.PromotionPolicy;
import io.flywheel.deploy.rollout.Deployment;
import io.flywheel.deploy.rollout.Strategy;
import io.flywheel.deploy.rollout.Transition;
import io.flywheel.deploy.serving.SampleCounter;
import io.flywheel.deploy.serving.ServingMetrics;
import io.flywheel.deploy.serving.ServingTable;
import io.flywheel.deploy.serving.ServingTally;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Promotes by policy: for each model whose promotion policy says so, the version serving all of
 * {@code from} goes on to {@code to} once it soaked there long enough and served enough predictions,
 * through the same gates as any promotion, as actor "policy". With shadow first, it shadows the
 * champion in {@code to} before that: once the shadow held long enough and scored enough copies, and
 * the judge's error-rate and latency criteria pass against the champion, the rollout takes over from
 * it; a failure named in rollback_on removes the shadow. (A shadow's answers are never returned, so no
 * label judges them: quality is judged in the canary.) One try per version (the promotion's
 * idempotency key), so a version that failed its gates or was rolled back is not tried again; a new
 * version is. Only the champion's latency baselines are kept in memory; the rest is read each tick.
 */
@ApplicationScoped
public class AutoPromoter {

    private final PromotionPolicies policies;
    private final PromotionService promotions;
    private final DeploymentStore store;
    private final SampleCounter samples;
    private final ServingMetrics servingMetrics;
    private final ServingTable serving;
    /** The champion's tally when this replica first saw a shadow: the shadow is compared with what came after. */
    private final Map<String, ServingTally.Snapshot> championAtShadowStart = new ConcurrentHashMap<>();

    public AutoPromoter(PromotionPolicies policies, PromotionService promotions, DeploymentStore store, SampleCounter samples,
                        ServingMetrics servingMetrics, ServingTable serving) {
        this.policies = policies;
        this.promotions = promotions;
        this.store = store;
        this.samples = samples;
        this.servingMetrics = servingMetrics;
        this.serving = serving;
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
                    if (version == null || from.candidate() != null) {
                        return Uni.createFrom().item((PromotionService.Command) null);
                    }
                    Deployment.Candidate candidate = to.candidate();
                    if (policy.shadowFirst() != null && candidate != null && candidate.strategy() == Strategy.SHADOW
                            && candidate.version() == version) {
                        // only a shadow this policy started goes on by itself; a person's shadow is theirs
                        return tried(model, policy.to(), version).chain(ours -> !ours ? Uni.createFrom().item((PromotionService.Command) null)
                                : samples.served(model, policy.to(), version).map(served ->
                                afterShadow(model, revision, policy, to, candidate, served - candidate.stepSamplesAtStart(), now)));
                    }
                    if (to.serves(version) || candidate != null) {
                        return Uni.createFrom().item((PromotionService.Command) null);
                    }
                    return tried(model, policy.to(), version).chain(tried -> tried ? Uni.createFrom().item((PromotionService.Command) null)
                            : samples.served(model, policy.from(), version).map(served -> soaked(model, revision, policy, from, to,
                            version, served, now)));
                })))
                .chain(command -> command == null ? Uni.createFrom().item(false)
                        : command.strategy() == null ? removeShadow(command) : promote(command));
    }

    /**
     * What to do with the policy's shadow: null to hold it; the rollout that takes over from it; or, to
     * remove it, a command whose strategy is null (its reason and evidence say why).
     */
    private PromotionService.Command afterShadow(String model, long revision, PromotionPolicy policy, Deployment to,
                                                 Deployment.Candidate shadow, long scored, Instant now) {
        String key = model + '\u0000' + policy.to() + '\u0000' + shadow.version() + '\u0000' + shadow.since();
        ServingTally.Snapshot championNow = servingMetrics.tally(model, policy.to(), to.primary()).snapshot();
        ServingTally.Snapshot championBase = championAtShadowStart.computeIfAbsent(key, k -> championNow);
        ServingTally.Snapshot c = servingMetrics.tally(model, policy.to(), shadow.version()).snapshot(); // all it served is its shadow
        ServingTally.Snapshot h = championNow.since(championBase);
        CanaryJudge.Judgement judgement = CanaryJudge.judge(new PromotionPolicy.Judge(null, policy.judge().errorRate(), policy.judge().latency()),
                new CanaryJudge.VersionEvidence(shadow.version(), c.requests(), c.errors(), c.p99Millis(), Map.of(), 0),
                new CanaryJudge.VersionEvidence(to.primary(), h.requests(), h.errors(), h.p99Millis(), Map.of(), 0));
        Duration held = Duration.between(shadow.since(), now);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("policy_revision", revision);
        evidence.put("shadow_seconds", held.toMillis() / 1000.0);
        evidence.put("min_shadow_seconds", policy.shadowFirst().minHold().toMillis() / 1000.0);
        evidence.put("shadow_samples", scored);
        evidence.put("min_shadow_samples", policy.shadowFirst().minSamples());
        evidence.put("judge", judgement.evidence());
        List<CanaryJudge.Verdict> failures = judgement.rollbacks(policy.rollbackOn());
        if (!failures.isEmpty()) {
            championAtShadowStart.remove(key);
            return new PromotionService.Command(model, policy.to(), shadow.version(), null, "the shadow of version " + shadow.version()
                    + " did worse than the champion: " + String.join("; ", failures.stream().map(v -> v.criterion() + " " + v.detail()).toList()),
                    "policy", PromotionRecord.SOURCE_POLICY, null, null, null, null, evidence);
        }
        if (held.compareTo(policy.shadowFirst().minHold()) < 0 || scored < policy.shadowFirst().minSamples()
                || judgement.waiting() || !judgement.failed().isEmpty()) {
            return null;
        }
        championAtShadowStart.remove(key);
        return new PromotionService.Command(model, policy.to(), shadow.version(), policy.strategy(), "promotion policy: the shadow of version "
                + shadow.version() + " scored " + scored + " copies in " + held.toSeconds() + " s, judged against the champion: "
                + judgement.summary(), "policy", PromotionRecord.SOURCE_POLICY, null, "policy-v" + shadow.version(), null,
                policy.strategy() == Strategy.CANARY ? policy.canary() : null, evidence);
    }

    /** Removes the policy's shadow that failed its judge, recorded with the judge's numbers. */
    private Uni<Boolean> removeShadow(PromotionService.Command c) {
        Instant now = Times.now();
        return Panache.withTransaction(() -> store.lock(c.model(), c.environment()).chain(row -> {
                    Deployment current = row.toDomain();
                    Optional<Transition> t = current.candidate() != null && current.candidate().strategy() == Strategy.SHADOW
                            ? current.rollbackVersion(c.version(), false, now) : Optional.empty();
                    if (t.isEmpty()) {
                        return Uni.createFrom().item(false);
                    }
                    Map<String, Object> evidence = new LinkedHashMap<>(c.evidence());
                    evidence.put("trigger", "shadow-judge");
                    evidence.put("before", DeploymentStore.liveMaps(current.live()));
                    Log.warnf("promotion policy of %s: %s", c.model(), c.reason());
                    return store.record(row, t.get(), null, "policy", c.reason(), evidence, current.candidate().promotionId(), now)
                            .replaceWith(true);
                }))
                .call(moved -> moved ? serving.refresh(c.model(), c.environment()) : Uni.createFrom().voidItem());
    }

    /** The promotion to ask for, once the version soaked long enough; null before. */
    private static PromotionService.Command soaked(String model, long revision, PromotionPolicy policy, Deployment from, Deployment to,
                                                   int version, long served, Instant now) {
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
        if (policy.shadowFirst() != null && to.primary() != null) {
            return new PromotionService.Command(model, policy.to(), version, Strategy.SHADOW, reason + "; it shadows the champion first",
                    "policy", PromotionRecord.SOURCE_POLICY, null, "policy-v" + version + "-shadow", null, null, evidence);
        }
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
