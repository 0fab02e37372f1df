package io.flywheel.deploy.service;

import io.flywheel.deploy.monitor.MonitorQuality;
import io.flywheel.deploy.policy.CanaryJudge;
import io.flywheel.deploy.policy.PromotionPolicy;
import io.flywheel.deploy.rollout.CanaryDecision;
import io.flywheel.deploy.rollout.Deployment;
import io.flywheel.deploy.rollout.Strategy;
import io.flywheel.deploy.rollout.Transition;
import io.flywheel.deploy.serving.SampleCounter;
import io.flywheel.deploy.serving.ServingMetrics;
import io.flywheel.deploy.serving.ServingTable;
import io.flywheel.deploy.serving.ServingTally;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Steps running canaries. Each tick reads every running canary from the database (its step, when the
 * step began, the candidate's sample count then, its frozen policy), asks the canary policy, and
 * writes the next step under the row's lock; so a restarted deploy, or another replica, carries a
 * canary on from its recorded step. When the model has a promotion policy with a judge, each step
 * is also judged against the champion (quality on joined labels from the monitor; error rate and p99
 * latency from what this replica served since the step began): a failure the policy names rolls the
 * candidate back, any other failure or missing evidence holds the step.
 */
@ApplicationScoped
public class CanaryDriver {

    private record Running(String model, String environment) {
    }

    /** What the judge compares against: both versions' tallies when this replica first saw the step. */
    private record Baseline(ServingTally.Snapshot candidate, ServingTally.Snapshot champion) {
    }

    /** The judge's view of one step, taken before the row is locked. */
    private record Judged(int version, int step, CanaryJudge.Judgement judgement, Set<String> rollbackOn) {
    }

    private final Environments environments;
    private final DeploymentStore store;
    private final SampleCounter samples;
    private final Signals signals;
    private final ServingTable serving;
    private final PromotionPolicies policies;
    private final ServingMetrics servingMetrics;
    private final MonitorQuality monitor;
    private final MeterRegistry meters;
    private final Map<String, Baseline> baselines = new ConcurrentHashMap<>();

    public CanaryDriver(Environments environments, DeploymentStore store, SampleCounter samples, Signals signals,
                        ServingTable serving, PromotionPolicies policies, ServingMetrics servingMetrics, MonitorQuality monitor,
                        MeterRegistry meters) {
        this.environments = environments;
        this.store = store;
        this.samples = samples;
        this.signals = signals;
        this.serving = serving;
        this.policies = policies;
        this.servingMetrics = servingMetrics;
        this.monitor = monitor;
        this.meters = meters;
    }

    @Scheduled(identity = "canary-driver", every = "${deploy.canary.check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> onSchedule() {
        return tick().onFailure().invoke(e -> Log.warnf("canary check failed, will retry: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Checks every running canary once; returns how many moved (advanced, completed or rolled back). */
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
        Set<String> seen = new HashSet<>();
        return Multi.createFrom().iterable(running)
                .onItem().transformToUniAndConcatenate(r -> step(r, seen)
                        .onFailure().invoke(e -> Log.warnf("canary of %s in %s not checked: %s", r.model(), r.environment(), e.getMessage()))
                        .onFailure().recoverWithItem(false))
                .collect().asList()
                .invoke(() -> baselines.keySet().retainAll(seen)) // steps that ended need no baseline
                .map(moved -> (int) moved.stream().filter(Boolean::booleanValue).count());
    }

    private Uni<Boolean> step(Running r, Set<String> seen) {
        // Store this replica's counts first: the step's baseline is then what the database holds, so
        // a crash right after the step moves cannot leave the baseline above what survives it.
        return samples.flush()
                .chain(() -> judge(r, seen))
                .chain(judged -> Panache.withTransaction(() -> store.lock(r.model(), r.environment()).chain(row -> {
                    Instant now = Times.now();
                    Deployment d = row.toDomain();
                    Deployment.Candidate canary = d.candidate();
                    if (canary == null || !canary.isCanary()) {
                        return Uni.createFrom().item(false);
                    }
                    if (judged.isPresent() && (judged.get().version() != canary.version() || judged.get().step() != canary.step())) {
                        return Uni.createFrom().item(false); // it moved since it was judged: next tick
                    }
                    if (judged.isPresent() && !judged.get().judgement().rollbacks(judged.get().rollbackOn()).isEmpty()) {
                        return rollBack(row, d, canary, judged.get(), now).replaceWith(true);
                    }
                    return samples.served(r.model(), r.environment(), canary.version())
                            .chain(served -> signals.degradedNow(r.model(), canary.version(), canary.since()).chain(degraded -> {
                                CanaryDecision decision = canary.policy().decide(canary.step(), canary.stepStartedAt(),
                                        served - canary.stepSamplesAtStart(), degraded, now);
                                Log.debugf("canary of %s in %s at step %d: %d served in the step, degraded %s: %s", r.model(), r.environment(),
                                        canary.step(), served - canary.stepSamplesAtStart(), degraded, decision);
                                if (judged.isPresent() && !(decision instanceof CanaryDecision.Hold)) {
                                    CanaryJudge.Judgement j = judged.get().judgement();
                                    if (j.waiting() || !j.failed().isEmpty()) {
                                        count("held");
                                        Log.debugf("canary of %s in %s held by its judge: %s", r.model(), r.environment(), j.summary());
                                        return Uni.createFrom().item(false);
                                    }
                                }
                                Optional<Transition> t = d.advance(decision, served, now);
                                if (t.isEmpty()) {
                                    return Uni.createFrom().item(false);
                                }
                                if (judged.isPresent() && decision instanceof CanaryDecision.Advance advance && d.primary() != null) {
                                    baselines.put(stepKey(r, canary.version(), advance.step()), new Baseline(
                                            servingMetrics.tally(r.model(), r.environment(), canary.version()).snapshot(),
                                            servingMetrics.tally(r.model(), r.environment(), d.primary()).snapshot()));
                                    seen.add(stepKey(r, canary.version(), advance.step()));
                                }
                                Map<String, Object> evidence = new LinkedHashMap<>(decision.evidence());
                                judged.ifPresent(j -> evidence.put("judge", j.judgement().evidence()));
                                String actor = judged.isPresent() ? "policy" : "deploy";
                                String reason = judged.isPresent() ? "canary policy; judged against the champion: "
                                        + judged.get().judgement().summary() : "canary policy";
                                count(t.get().action());
                                return store.record(row, t.get(), Strategy.CANARY.id(), actor, reason, evidence, canary.promotionId(), now)
                                        .replaceWith(true);
                            }));
                })))
                .call(moved -> moved ? serving.refresh(r.model(), r.environment()) : Uni.createFrom().voidItem())
                .invoke(moved -> {
                    if (moved) {
                        Log.infof("canary of %s in %s moved on", r.model(), r.environment());
                    }
                });
    }

    /** The judge's verdict on the step, when the model's promotion policy judges canaries in this environment. */
    private Uni<Optional<Judged>> judge(Running r, Set<String> seen) {
        return Panache.withSession(() -> policies.find(r.model()).chain(policy -> {
            if (policy.isEmpty() || !policy.get().policy().judge().judges() || !policy.get().policy().to().equals(r.environment())) {
                return Uni.createFrom().item(Optional.<Judged>empty());
            }
            PromotionPolicy p = policy.get().policy();
            return store.current(r.model(), r.environment()).chain(d -> {
                Deployment.Candidate canary = d.candidate();
                if (canary == null || !canary.isCanary() || d.primary() == null) {
                    return Uni.createFrom().item(Optional.<Judged>empty());
                }
                int champion = d.primary();
                String key = stepKey(r, canary.version(), canary.step());
                seen.add(key);
                ServingTally.Snapshot candidateNow = servingMetrics.tally(r.model(), r.environment(), canary.version()).snapshot();
                ServingTally.Snapshot championNow = servingMetrics.tally(r.model(), r.environment(), champion).snapshot();
                // A step's evidence starts where the step did: at step 0 the candidate has served nothing else
                // here (its whole tally is its canary); later steps start where this driver advanced them
                // (see step()); a step this replica first sees mid-way starts when it saw it.
                Baseline base = baselines.computeIfAbsent(key, k -> new Baseline(
                        canary.step() == 0 ? ServingTally.Snapshot.EMPTY : candidateNow, championNow));
                ServingTally.Snapshot c = candidateNow.since(base.candidate());
                ServingTally.Snapshot h = championNow.since(base.champion());
                Uni<Map<Integer, MonitorQuality.VersionQuality>> quality = p.judge().quality() == null
                        ? Uni.createFrom().item(Map.of()) : monitor.byVersion(r.model());
                return quality.map(q -> {
                    MonitorQuality.VersionQuality cq = q.getOrDefault(canary.version(), MonitorQuality.VersionQuality.NONE);
                    MonitorQuality.VersionQuality hq = q.getOrDefault(champion, MonitorQuality.VersionQuality.NONE);
                    CanaryJudge.Judgement judgement = CanaryJudge.judge(p.judge(),
                            new CanaryJudge.VersionEvidence(canary.version(), c.requests(), c.errors(), c.p99Millis(), cq.metrics(), cq.labelled()),
                            new CanaryJudge.VersionEvidence(champion, h.requests(), h.errors(), h.p99Millis(), hq.metrics(), hq.labelled()));
                    return Optional.of(new Judged(canary.version(), canary.step(), judgement, p.rollbackOn()));
                });
            });
        }));
    }

    private Uni<Void> rollBack(io.flywheel.deploy.DeploymentRow row, Deployment d, Deployment.Candidate canary, Judged judged,
                               Instant now) {
        Transition t = d.rollbackVersion(canary.version(), false, now).orElseThrow();
        List<CanaryJudge.Verdict> failures = judged.judgement().rollbacks(judged.rollbackOn());
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("trigger", "canary-judge");
        evidence.put("step", canary.step());
        evidence.put("percent", canary.percent());
        evidence.put("failed", failures.stream().map(CanaryJudge.Verdict::criterion).toList());
        evidence.put("judge", judged.judgement().evidence());
        evidence.put("before", DeploymentStore.liveMaps(d.live()));
        String reason = "the canary of version " + canary.version() + " did worse than the champion: "
                + String.join("; ", failures.stream().map(v -> v.criterion() + " " + v.detail()).toList());
        count("rolled-back");
        Counter.builder("deploy.rollbacks").description("Rollbacks by trigger").tag("trigger", "policy").register(meters).increment();
        Log.warnf("automatic rollback of %s version %d in %s: %s", d.model(), canary.version(), d.environment(), reason);
        return store.record(row, t, null, "policy", reason, evidence, canary.promotionId(), now);
    }

    private static String stepKey(Running r, int version, int step) {
        return r.model() + '\u0000' + r.environment() + '\u0000' + version + '\u0000' + step;
    }

    private void count(String outcome) {
        Counter.builder("deploy.canary.decisions").description("Canary decisions by outcome").tag("outcome", outcome)
                .register(meters).increment();
    }
}
