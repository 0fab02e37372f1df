package io.flywheel.deploy.prompt;

import io.flywheel.deploy.monitor.MonitorScores;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.util.Optional;

/**
 * Judges running prompt canaries. Each tick reads every running rollout from the database, the
 * online score each version received since it started (the monitor's score series) and the
 * monitor's degradations of the candidate, and asks {@link PromptJudge}: a hold is noted on the row,
 * a promotion or rollback ends the rollout (actor {@code policy}, or {@code monitor} when its verdict
 * decided). Nothing is kept in memory, so a restarted deploy carries every canary on. While the
 * monitor can't be asked, canaries hold.
 */
@ApplicationScoped
public class PromptCanaryDriver {

    private final PromptRollouts rollouts;
    private final PromptLabelRelay labels;
    private final MonitorScores scores;
    private final MeterRegistry meters;

    public PromptCanaryDriver(PromptRollouts rollouts, PromptLabelRelay labels, MonitorScores scores, MeterRegistry meters) {
        this.rollouts = rollouts;
        this.labels = labels;
        this.scores = scores;
        this.meters = meters;
    }

    @Scheduled(identity = "prompt-canary-driver", every = "${deploy.prompt.check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> onSchedule() {
        return tick().onFailure().invoke(e -> Log.warnf("prompt canary check failed, will retry: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Judges every running prompt canary once; returns how many ended. */
    public Uni<Integer> tick() {
        return rollouts.allRunning()
                .chain(running -> Multi.createFrom().iterable(running)
                        .onItem().transformToUniAndConcatenate(r -> judge(r)
                                .onFailure().invoke(e -> Log.warnf("prompt rollout %s not judged: %s", r.id, e.getMessage()))
                                .onFailure().recoverWithItem(false))
                        .collect().asList()
                        .map(ended -> (int) ended.stream().filter(Boolean::booleanValue).count()))
                .call(ended -> ended > 0 ? labels.sync() : Uni.createFrom().voidItem());
    }

    private Uni<Boolean> judge(PromptRolloutRow r) {
        Instant now = PromptRollouts.now();
        PromptPolicy policy = r.policy.toPolicy(rollouts.defaults()); // frozen at the start: every field is set
        return degradation(r).chain(degraded -> scores.byVersion(r.project, r.prompt, r.scoreName, r.startedAt, now)
                .onFailure().recoverWithItem(e -> {
                    Log.debugf("scores of prompt rollout %s unavailable, it holds: %s", r.id, e.getMessage());
                    return null;
                })
                .chain(byVersion -> {
                    if (byVersion == null && degraded.isEmpty()) {
                        count(PromptJudge.Outcome.HOLD);
                        return Uni.createFrom().item(false);
                    }
                    Map<Integer, PromptJudge.VersionScores> s = byVersion == null ? Map.of() : byVersion;
                    PromptJudge.Decision d = PromptJudge.decide(policy, r.scoreName,
                            s.getOrDefault(r.candidateVersion, PromptJudge.VersionScores.none(r.candidateVersion)),
                            s.getOrDefault(r.baselineVersion, PromptJudge.VersionScores.none(r.baselineVersion)),
                            Duration.between(r.startedAt, now), degraded.orElse(null));
                    count(d.outcome());
                    Map<String, Object> judgement = new LinkedHashMap<>(d.evidence());
                    judgement.put("decision", d.outcome().id());
                    judgement.put("detail", d.reason());
                    if (d.outcome() == PromptJudge.Outcome.HOLD) {
                        return rollouts.noteJudgement(r, judgement).replaceWith(false);
                    }
                    Map<String, Object> evidence = new LinkedHashMap<>(judgement);
                    evidence.put("trigger", d.trigger());
                    String actor = "monitor".equals(d.trigger()) ? "monitor" : "policy";
                    return rollouts.end(r.id, d.outcome(), actor, d.reason(), evidence).replaceWith(true);
                }));
    }

    /** The monitor's latest degradation of the candidate since the canary started, described. */
    private Uni<Optional<String>> degradation(PromptRolloutRow r) {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.createQuery(
                        "from PromptSignal where project = :project and prompt = :prompt and version = :version "
                                + "and receivedAt >= :since order by receivedAt desc", PromptSignal.class)
                .setParameter("project", r.project).setParameter("prompt", r.prompt).setParameter("version", r.candidateVersion)
                .setParameter("since", r.startedAt).setMaxResults(1).getResultList()))
                .map(l -> l.stream().findFirst().map(s -> s.detail));
    }

    private void count(PromptJudge.Outcome outcome) {
        Counter.builder("deploy.prompt.judgements").description("Prompt canary judgements by decision").tag("decision", outcome.id())
                .register(meters).increment();
    }
}
