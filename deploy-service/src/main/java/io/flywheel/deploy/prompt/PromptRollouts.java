package io.flywheel.deploy.prompt;

import io.flywheel.deploy.ConflictException;
import io.flywheel.deploy.InvalidRequestException;
import io.flywheel.deploy.NotFoundException;
import io.flywheel.deploy.config.DeployConfig;
import io.flywheel.deploy.registry.PromptRegistry;
import io.flywheel.events.PromptRolloutChanged;
import io.flywheel.outbox.Outbox;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Prompt rollouts: started (by a person or by retrain's PromptPromotionRequested), routed, and ended
 * (promoted or rolled back, by a person or by the judge). Every change is written with its history line
 * and its PromptRolloutChanged event (outbox) in one transaction; the registry's labels follow through
 * {@link PromptLabelRelay}, so a registry outage delays a label move and never loses it.
 */
@ApplicationScoped
public class PromptRollouts {

    public static final String SOURCE_API = "api";
    public static final String SOURCE_RETRAIN = "retrain";

    /** A rollout to start. {@code policy} overrides the prompt's stored policy field by field (may be null). */
    public record Start(String project, String prompt, int candidateVersion, String scoreName, PromptPolicyDocument policy,
                        String actor, String source, String sourceEventId, String jobId, String experimentId, String reason,
                        Map<String, Object> evidence) {
    }

    /** Which version a session gets: the candidate under the canary label, or the production version. */
    public record Route(String project, String prompt, String sessionId, String label, int version, PromptRolloutRow rollout) {
    }

    /** A prompt's policy: as stored (null when none) and with every default filled in. */
    public record Policy(String project, String prompt, PromptPolicyDocument stored, PromptPolicy effective, Instant updatedAt,
                         String updatedBy) {
    }

    private final PromptRegistry registry;
    private final Outbox outbox;
    private final MeterRegistry meters;
    private final PromptPolicy defaults;
    private final String canaryLabel;
    private final String productionLabel;

    public PromptRollouts(PromptRegistry registry, Outbox outbox, MeterRegistry meters, DeployConfig config) {
        this.registry = registry;
        this.outbox = outbox;
        this.meters = meters;
        DeployConfig.Prompt p = config.prompt();
        this.defaults = new PromptPolicy(p.sharePercent(), p.minDuration(), p.maxDuration(), p.minCount(), p.maxDrop(),
                Math.min(p.margin(), p.maxDrop()));
        this.canaryLabel = p.canaryLabel();
        this.productionLabel = p.productionLabel();
    }

    public PromptPolicy defaults() {
        return defaults;
    }

    /** Keeps the monitor's degradation of a prompt version (once per event id); the judge reads it on its next tick. */
    public Uni<Boolean> remember(PromptSignal signal) {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.find(PromptSignal.class, signal.eventId)
                .chain(existing -> existing != null ? Uni.createFrom().item(false)
                        : session.persist(signal).chain(session::flush).replaceWith(true))));
    }

    public String canaryLabel() {
        return canaryLabel;
    }

    public String productionLabel() {
        return productionLabel;
    }

    /**
     * Starts a canary of the candidate against the version holding {@code production}.
     *
     * @throws NotFoundException   (in the Uni) the candidate version is not in the registry
     * @throws ConflictException   a rollout of the prompt runs, the prompt has no production version, or the candidate holds it
     * @throws InvalidRequestException the policy asked for does not hold
     */
    public Uni<PromptRolloutRow> start(Start s) {
        return byEvent(s.sourceEventId()).chain(existing -> existing.isPresent() ? Uni.createFrom().item(existing.get())
                : registry.requireVersion(s.project(), s.prompt(), s.candidateVersion())
                .chain(() -> registry.labelled(s.project(), s.prompt(), productionLabel))
                .chain(baseline -> Panache.withTransaction(() -> create(s, baseline.orElse(null))))
                .onFailure(PromptRollouts::anotherRunning).transform(e -> new ConflictException("another rollout of prompt '"
                        + s.prompt() + "' started meanwhile; promote or roll it back first")));
    }

    /** Two starts raced and the other one's rollout won the one-running-per-prompt index. */
    private static boolean anotherRunning(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("prompt_rollout_one_running")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The same for retrain's request: once per event id; a refusal (no such version, another rollout
     * running, no production version) is recorded as a refused rollout and announced, not thrown.
     */
    public Uni<PromptRolloutRow> startRequested(Start s) {
        return start(s).onFailure(e -> e instanceof NotFoundException || e instanceof ConflictException
                        || e instanceof InvalidRequestException)
                .recoverWithUni(e -> Panache.withTransaction(() -> byEvent(s.sourceEventId()).chain(existing -> existing.isPresent()
                        ? Uni.createFrom().item(existing.get()) : refuse(s, e.getMessage()))));
    }

    private Uni<PromptRolloutRow> create(Start s, Integer baseline) {
        return running(s.project(), s.prompt()).chain(running -> {
            if (running.isPresent()) {
                PromptRolloutRow r = running.get();
                throw new ConflictException("a rollout of prompt '" + s.prompt() + "' (version " + r.candidateVersion + ") runs: "
                        + r.id + "; promote or roll it back first");
            }
            if (baseline == null) {
                throw new ConflictException("prompt '" + s.prompt() + "' of project '" + s.project() + "' has no '" + productionLabel
                        + "' version to canary against; put the label on a version first");
            }
            if (baseline == s.candidateVersion()) {
                throw new ConflictException("version " + baseline + " of prompt '" + s.prompt() + "' already holds '" + productionLabel + "'");
            }
            return storedPolicy(s.project(), s.prompt()).chain(stored -> {
                PromptPolicy policy = resolve(s.policy() == null ? stored.orElse(null) : s.policy().over(stored.orElse(null)));
                Instant now = now();
                PromptRolloutRow row = row(s, baseline, PromptRolloutRow.RUNNING, policy, now);
                Map<String, Object> evidence = new LinkedHashMap<>(row.requestEvidence);
                return Panache.getSession().chain(session -> session.persist(row)).chain(() -> record(row, "started",
                                s.actor(), s.reason() != null ? s.reason() : "canary of version " + s.candidateVersion() + " against "
                                        + baseline + " on " + policy.sharePercent() + "% of sessions", evidence, now))
                        .invoke(() -> Log.infof("prompt rollout %s started: %s/%s version %d against %d, %d%% of sessions", row.id,
                                row.project, row.prompt, row.candidateVersion, baseline, policy.sharePercent()))
                        .replaceWith(row);
            });
        });
    }

    private Uni<PromptRolloutRow> refuse(Start s, String why) {
        Instant now = now();
        PromptRolloutRow row = row(s, null, PromptRolloutRow.REFUSED, defaults, now);
        row.endedAt = now;
        row.endedBy = s.actor();
        row.endReason = why;
        row.labelsSynced = true; // nothing was labelled
        return Panache.getSession().chain(session -> session.persist(row))
                .chain(() -> record(row, "refused", s.actor(), why, new LinkedHashMap<>(row.requestEvidence), now))
                .invoke(() -> Log.infof("prompt rollout of %s/%s version %d refused: %s", s.project(), s.prompt(), s.candidateVersion(), why))
                .replaceWith(row);
    }

    private PromptRolloutRow row(Start s, Integer baseline, String status, PromptPolicy policy, Instant now) {
        PromptRolloutRow row = new PromptRolloutRow();
        row.id = UUID.randomUUID();
        row.project = s.project();
        row.prompt = s.prompt();
        row.candidateVersion = s.candidateVersion();
        row.baselineVersion = baseline;
        row.scoreName = s.scoreName();
        row.status = status;
        row.policy = PromptPolicyDocument.of(policy);
        row.startedBy = s.actor();
        row.source = s.source();
        row.sourceEventId = s.sourceEventId();
        row.jobId = s.jobId();
        row.experimentId = s.experimentId();
        row.reason = s.reason();
        row.requestEvidence = s.evidence() == null ? Map.of() : new LinkedHashMap<>(s.evidence());
        row.startedAt = now;
        row.labelsSynced = false;
        return row;
    }

    /**
     * Ends a running rollout: promoted (production moves to the candidate) or rolled back (production stays).
     *
     * @throws ConflictException (in the Uni) when it is no longer running
     */
    public Uni<PromptRolloutRow> end(UUID id, PromptJudge.Outcome outcome, String actor, String reason, Map<String, Object> evidence) {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createQuery("from PromptRolloutRow where id = :id", PromptRolloutRow.class)
                        .setParameter("id", id).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList())
                .chain(found -> {
                    PromptRolloutRow row = found.isEmpty() ? null : found.getFirst();
                    if (row == null) {
                        throw new NotFoundException("no prompt rollout " + id);
                    }
                    if (!row.running()) {
                        throw new ConflictException("prompt rollout " + id + " is " + row.status + ", not running");
                    }
                    Instant now = now();
                    boolean promote = outcome == PromptJudge.Outcome.PROMOTE;
                    row.status = promote ? PromptRolloutRow.PROMOTED : PromptRolloutRow.ROLLED_BACK;
                    row.endedAt = now;
                    row.endedBy = actor;
                    row.endReason = reason;
                    row.labelsSynced = false;
                    row.labelAttempts = 0;
                    row.labelError = null;
                    if (!promote) {
                        Counter.builder("deploy.rollbacks").description("Rollbacks by trigger")
                                .tag("trigger", "policy".equals(actor) || "monitor".equals(actor) ? actor : "api").register(meters).increment();
                    }
                    Log.infof("prompt rollout %s of %s/%s version %d %s by %s: %s", row.id, row.project, row.prompt, row.candidateVersion,
                            row.status, actor, reason);
                    return record(row, row.status, actor, reason, evidence, now).replaceWith(row);
                }));
    }

    private Uni<Void> record(PromptRolloutRow row, String action, String actor, String reason, Map<String, Object> evidence, Instant now) {
        PromptRolloutHistory line = new PromptRolloutHistory();
        line.rolloutId = row.id;
        line.action = action;
        line.actor = actor;
        line.reason = reason;
        line.evidence = evidence == null ? Map.of() : evidence;
        line.at = now;
        PromptRolloutChanged event = PromptRolloutChanged.of(row.project, row.prompt, row.id.toString(), action, row.status,
                row.candidateVersion, row.baselineVersion, row.policy.sharePercent(), row.scoreName, actor, reason, now, line.evidence);
        Counter.builder("deploy.prompt.rollouts").description("Prompt rollouts started and ended, by outcome").tag("outcome", action)
                .register(meters).increment();
        return Panache.getSession().chain(session -> session.persist(line))
                .chain(() -> outbox.add(event.key(), PromptRolloutChanged.TYPE, event));
    }

    /** Which version the session gets now. @throws NotFoundException when the prompt has no production version */
    public Uni<Route> route(String project, String prompt, String sessionId) {
        return Panache.withSession(() -> running(project, prompt)).chain(running -> {
            if (running.isPresent()) {
                PromptRolloutRow r = running.get();
                // while running, labels_synced says the relay has put the canary label on the candidate
                boolean candidate = PromptSplit.toCandidate(project, prompt, sessionId, r.policy.sharePercent(), r.labelsSynced);
                countRoute(candidate ? canaryLabel : productionLabel);
                return Uni.createFrom().item(new Route(project, prompt, sessionId, candidate ? canaryLabel : productionLabel,
                        candidate ? r.candidateVersion : r.baselineVersion, r));
            }
            return registry.labelled(project, prompt, productionLabel).map(version -> {
                countRoute(productionLabel);
                return new Route(project, prompt, sessionId, productionLabel, version.orElseThrow(() -> new NotFoundException(
                        "prompt '" + prompt + "' of project '" + project + "' has no '" + productionLabel + "' version")), null);
            });
        });
    }

    private void countRoute(String label) {
        Counter.builder("deploy.prompt.routes").description("Prompt versions handed out, by label").tag("label", label)
                .register(meters).increment();
    }

    /** The running rollout of the prompt, inside the caller's session. */
    public Uni<Optional<PromptRolloutRow>> running(String project, String prompt) {
        return Panache.getSession().chain(session -> session.createQuery(
                        "from PromptRolloutRow where project = :project and prompt = :prompt and status = :running", PromptRolloutRow.class)
                .setParameter("project", project).setParameter("prompt", prompt).setParameter("running", PromptRolloutRow.RUNNING)
                .getResultList()).map(l -> l.stream().findFirst());
    }

    /** Every running rollout (the judge's work). */
    public Uni<List<PromptRolloutRow>> allRunning() {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.createQuery(
                        "from PromptRolloutRow where status = :running order by seq", PromptRolloutRow.class)
                .setParameter("running", PromptRolloutRow.RUNNING).getResultList()));
    }

    private Uni<Optional<PromptRolloutRow>> byEvent(String eventId) {
        if (eventId == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.createQuery(
                        "from PromptRolloutRow where sourceEventId = :id", PromptRolloutRow.class)
                .setParameter("id", eventId).getResultList())).map(l -> l.stream().findFirst());
    }

    /** @throws NotFoundException when there is no such rollout of the prompt */
    public Uni<PromptRolloutRow> get(String project, String prompt, UUID id) {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.createQuery(
                        "from PromptRolloutRow where id = :id and project = :project and prompt = :prompt", PromptRolloutRow.class)
                .setParameter("id", id).setParameter("project", project).setParameter("prompt", prompt).getResultList()))
                .map(l -> l.stream().findFirst().orElseThrow(() -> new NotFoundException(
                        "prompt '" + prompt + "' of project '" + project + "' has no rollout " + id)));
    }

    public Uni<List<PromptRolloutHistory>> history(UUID id) {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.createQuery(
                        "from PromptRolloutHistory where rolloutId = :id order by id", PromptRolloutHistory.class)
                .setParameter("id", id).getResultList()));
    }

    /** Rollouts newest first, of a project (and a prompt, a status when given); {@code limit + 1} rows say whether more follow. */
    public Uni<List<PromptRolloutRow>> list(String project, String prompt, String status, Long before, int limit) {
        StringBuilder q = new StringBuilder("from PromptRolloutRow where project = :project");
        if (prompt != null) {
            q.append(" and prompt = :prompt");
        }
        if (status != null) {
            q.append(" and status = :status");
        }
        if (before != null) {
            q.append(" and seq < :before");
        }
        q.append(" order by seq desc");
        return Panache.withSession(() -> Panache.getSession().chain(session -> {
            var query = session.createQuery(q.toString(), PromptRolloutRow.class).setParameter("project", project);
            if (prompt != null) {
                query.setParameter("prompt", prompt);
            }
            if (status != null) {
                query.setParameter("status", status);
            }
            if (before != null) {
                query.setParameter("before", before);
            }
            return query.setMaxResults(limit + 1).getResultList();
        }));
    }

    /** Stores the judge's latest word on a rollout that holds. */
    public Uni<Void> noteJudgement(PromptRolloutRow judged, Map<String, Object> judgement) {
        Instant now = now();
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createQuery(
                        "update PromptRolloutRow set judgement = :judgement, judgedAt = :now where seq = :seq and status = :running")
                .setParameter("judgement", judgement).setParameter("now", now).setParameter("seq", judged.seq)
                .setParameter("running", PromptRolloutRow.RUNNING).executeUpdate())).replaceWithVoid();
    }

    /** A prompt's policy, stored and effective. */
    public Uni<Policy> policy(String project, String prompt) {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.find(PromptPolicyRow.class,
                new PromptPolicyRow.Key(project, prompt)))).map(row -> row == null
                ? new Policy(project, prompt, null, defaults, null, null)
                : new Policy(project, prompt, row.document, resolve(row.document), row.updatedAt, row.updatedBy));
    }

    /** Replaces a prompt's policy; applies to rollouts started afterwards. @throws InvalidRequestException naming the field */
    public Uni<Policy> putPolicy(String project, String prompt, PromptPolicyDocument document, String actor) {
        if (document == null) {
            throw new InvalidRequestException("the body is a prompt rollout policy, e.g. {\"share_percent\": 20, \"min_duration\": \"PT1H\"}");
        }
        PromptPolicy effective = resolve(document);
        Instant now = now();
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.find(PromptPolicyRow.class,
                        new PromptPolicyRow.Key(project, prompt), LockModeType.PESSIMISTIC_WRITE)
                .chain(existing -> {
                    PromptPolicyRow row = existing != null ? existing : new PromptPolicyRow();
                    row.project = project;
                    row.prompt = prompt;
                    row.document = document;
                    row.updatedAt = now;
                    row.updatedBy = actor;
                    return (existing == null ? session.persist(row) : Uni.createFrom().voidItem()).chain(session::flush);
                }))).replaceWith(new Policy(project, prompt, document, effective, now, actor));
    }

    private Uni<Optional<PromptPolicyDocument>> storedPolicy(String project, String prompt) {
        return Panache.getSession().chain(session -> session.find(PromptPolicyRow.class, new PromptPolicyRow.Key(project, prompt)))
                .map(row -> Optional.ofNullable(row).map(r -> r.document));
    }

    private PromptPolicy resolve(PromptPolicyDocument document) {
        try {
            return document == null ? defaults : document.toPolicy(defaults);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
