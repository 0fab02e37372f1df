package io.flywheel.retrain.trigger;

import io.flywheel.retrain.PolicyRecord;
import io.flywheel.retrain.RetrainJob;
import io.flywheel.retrain.Trigger;
import io.flywheel.retrain.data.LabelledData;
import io.flywheel.retrain.data.TrainingSet;
import io.flywheel.retrain.job.JobState;
import io.flywheel.retrain.job.JobStore;
import io.flywheel.retrain.job.JobWorker;
import io.flywheel.retrain.policy.Guardrails;
import io.flywheel.retrain.policy.PolicyService;
import io.flywheel.retrain.policy.RetrainPolicy;
import io.flywheel.retrain.policy.TriggerKind;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Every trigger — a monitor event, the schedule, a person — goes through here: the model's policy
 * and recent history decide (policy.Guardrails), the trigger is recorded with the decision and its
 * reason, and an accepted one creates a pending job in the same transaction (with its event in the
 * outbox). Decisions for one model are serialised by a lock on its policy row, so two triggers
 * can't both take the last slot.
 */
@ApplicationScoped
public class TriggerService {

    /**
     * One trigger.
     *
     * @param eventId    the CloudEvent id, {@code manual:<Idempotency-Key>} or {@code schedule:<model>:<time>}
     * @param dedupeKey  what the event reports, e.g. {@code drift:v3:<window>}: the same report under another id is a duplicate
     * @param force      manual only: skip cooldown and minimum new rows
     * @param replayable a repeat of the event id returns the first outcome instead of a refused duplicate (Idempotency-Key)
     * @param code       a code trigger's push: the branch and commit to train at; null for any other trigger
     */
    public record Submission(String model, TriggerKind kind, Integer version, String eventId, String dedupeKey, boolean force,
                             String actor, String detail, boolean replayable, CodeAt code) {
        public Submission(String model, TriggerKind kind, Integer version, String eventId, String dedupeKey, boolean force,
                          String actor, String detail, boolean replayable) {
            this(model, kind, version, eventId, dedupeKey, force, actor, detail, replayable, null);
        }
    }

    /** Where a code trigger trains: a commit of a branch of the policy's {@code trainer.code} repository. */
    public record CodeAt(String branch, String commit) {
    }

    /** The recorded trigger, the job it started (or null), and whether this was a replay of an earlier submission. */
    public record Outcome(Trigger trigger, RetrainJob job, boolean replayed) {
        public boolean accepted() {
            return trigger.decision == Trigger.Decision.ACCEPTED;
        }
    }

    private record Prefetch(Long newRows, Instant newRowsSince) {
    }

    private final PolicyService policies;
    private final JobStore jobs;
    private final JobWorker worker;
    private final LabelledData labelled;
    private final MeterRegistry meters;

    public TriggerService(PolicyService policies, JobStore jobs, JobWorker worker, LabelledData labelled, MeterRegistry meters) {
        this.policies = policies;
        this.jobs = jobs;
        this.worker = worker;
        this.labelled = labelled;
        this.meters = meters;
    }

    public Uni<Outcome> submit(Submission submission) {
        return prefetch(submission)
                .chain(prefetch -> Panache.withTransaction(() -> decide(submission, prefetch)))
                // two deliveries of one event raced for "first": the loser now sees the winner
                .onFailure(TriggerService::firstDeliveryRace).retry().atMost(2)
                .invoke(outcome -> {
                    Trigger t = outcome.trigger();
                    if (!outcome.replayed()) {
                        meters.counter("flywheel.retrain.triggers", "kind", t.kind, "decision", t.decision.name().toLowerCase(),
                                "rule", t.rule == null ? "none" : t.rule).increment();
                    }
                    Log.infof("trigger %d (%s, %s, event %s) for %s: %s — %s", t.seq, t.kind, t.actor, t.eventId, t.model,
                            t.decision, t.reason);
                    if (outcome.job() != null && !outcome.replayed()) {
                        worker.wake();
                    }
                });
    }

    /**
     * Counts the new labelled rows when the policy asks for a minimum, outside the transaction (it
     * reads S3): since the data cut-off of the model's last job that got as far as a decision, within
     * the data window.
     */
    private Uni<Prefetch> prefetch(Submission submission) {
        if (submission.force()) {
            return Uni.createFrom().item(new Prefetch(null, null));
        }
        return Panache.withSession(() -> Panache.getSession().chain(session -> session
                        .find(PolicyRecord.class, submission.model())
                        .chain(row -> {
                            if (row == null || !row.enabled) {
                                return Uni.createFrom().nullItem();
                            }
                            RetrainPolicy policy = policies.parse(row.document);
                            if (policy.minNewRows() == 0) {
                                return Uni.createFrom().nullItem();
                            }
                            return session.createQuery("select max(j.dataTo) from RetrainJob j where j.model = :model and j.state in :states",
                                            Instant.class)
                                    .setParameter("model", submission.model())
                                    .setParameter("states", List.of(JobState.PROMOTION_REQUESTED, JobState.REJECTED))
                                    .getSingleResultOrNull()
                                    .map(cutoff -> {
                                        Instant now = JobStore.now();
                                        Instant windowStart = now.minus(policy.data().window());
                                        return cutoff == null || cutoff.isBefore(windowStart) ? windowStart : cutoff;
                                    });
                        })))
                .chain(since -> {
                    if (since == null) {
                        return Uni.createFrom().item(new Prefetch(null, null));
                    }
                    Instant now = JobStore.now();
                    return backOnThisContext(labelled.read(submission.model(), since, now, since))
                            .map(read -> new Prefetch(TrainingSet.countNew(read.rows(), since, now), since))
                            .onFailure().invoke(e -> Log.warnf("counting new labelled rows of %s failed: %s", submission.model(), e.getMessage()))
                            .onFailure().recoverWithItem(new Prefetch(null, since));
                });
    }

    private Uni<Outcome> decide(Submission s, Prefetch prefetch) {
        Instant now = JobStore.now();
        return Panache.getSession().chain(session -> session
                .find(PolicyRecord.class, s.model(), LockModeType.PESSIMISTIC_WRITE)
                .chain(row -> firstOf(session, s).chain(first -> {
                    if (first != null && s.replayable()) {
                        Uni<RetrainJob> job = first.jobId == null ? Uni.createFrom().nullItem() : session.find(RetrainJob.class, first.jobId);
                        return job.map(j -> new Outcome(first, j, true));
                    }
                    Uni<Trigger> sameReport = first != null || s.dedupeKey() == null ? Uni.createFrom().nullItem()
                            : session.createQuery("from Trigger t where t.model = :model and t.dedupeKey = :key and t.duplicateOf is null "
                                            + "order by t.seq", Trigger.class)
                                    .setParameter("model", s.model())
                                    .setParameter("key", s.dedupeKey())
                                    .setMaxResults(1)
                                    .getSingleResultOrNull();
                    return sameReport.chain(repeat -> history(session, s.model(), prefetch, now).chain(history -> {
                        RetrainPolicy policy = row == null ? null : policies.parse(row.document);
                        Trigger original = first != null ? first : repeat;
                        String duplicateOf = first != null
                                ? "event " + s.eventId() + " was already received as trigger " + first.seq
                                : repeat != null ? "trigger " + repeat.seq + " (event " + repeat.eventId + ") reported the same " + s.dedupeKey()
                                : null;
                        Guardrails.Verdict verdict = Guardrails.decide(policy, new Guardrails.Request(s.model(), s.kind(), s.force(), duplicateOf),
                                history, now);
                        Trigger trigger = new Trigger();
                        trigger.eventId = s.eventId();
                        trigger.model = s.model();
                        trigger.version = s.version();
                        trigger.kind = s.kind().id();
                        trigger.receivedAt = now;
                        trigger.decision = verdict.accepted() ? Trigger.Decision.ACCEPTED : Trigger.Decision.REFUSED;
                        trigger.rule = verdict.rule();
                        trigger.reason = verdict.reason();
                        trigger.dedupeKey = s.dedupeKey();
                        trigger.duplicateOf = original == null ? null : original.seq;
                        trigger.actor = s.actor();
                        trigger.detail = s.detail();
                        return session.persist(trigger).call(session::flush).chain(() -> {
                            if (!verdict.accepted()) {
                                return Uni.createFrom().item(new Outcome(trigger, null, false));
                            }
                            return createJob(session, trigger, row, policy, s.code(), now).map(job -> new Outcome(trigger, job, false));
                        });
                    }));
                })));
    }

    private static Uni<Trigger> firstOf(Mutiny.Session session, Submission s) {
        return session.createQuery("from Trigger t where t.eventId = :id and t.duplicateOf is null", Trigger.class)
                .setParameter("id", s.eventId())
                .setMaxResults(1)
                .getSingleResultOrNull();
    }

    private Uni<Guardrails.History> history(Mutiny.Session session, String model, Prefetch prefetch, Instant now) {
        Uni<Long> active = session.createQuery("select count(j) from RetrainJob j where j.model = :model and j.state in :states", Long.class)
                .setParameter("model", model)
                .setParameter("states", JobState.activeStates())
                .getSingleResult();
        Uni<Long> today = session.createQuery("select count(j) from RetrainJob j where j.model = :model and j.createdAt >= :since", Long.class)
                .setParameter("model", model)
                .setParameter("since", Guardrails.dayStart(now))
                .getSingleResult();
        Uni<RetrainJob> last = session.createQuery("from RetrainJob j where j.model = :model and j.state <> :cancelled "
                        + "order by j.createdAt desc", RetrainJob.class)
                .setParameter("model", model)
                .setParameter("cancelled", JobState.CANCELLED)
                .setMaxResults(1)
                .getSingleResultOrNull();
        return active.chain(a -> today.chain(t -> last.map(l -> new Guardrails.History(a.intValue(), t.intValue(),
                l == null ? null : l.finishedAt != null ? l.finishedAt : l.createdAt, l == null ? null : l.id.toString(),
                prefetch.newRows(), prefetch.newRowsSince()))));
    }

    private Uni<RetrainJob> createJob(Mutiny.Session session, Trigger trigger, PolicyRecord row, RetrainPolicy policy, CodeAt codeAt,
                                      Instant now) {
        RetrainJob job = new RetrainJob();
        job.id = UUID.randomUUID();
        job.model = trigger.model;
        job.state = JobState.PENDING;
        job.triggerSeq = trigger.seq;
        job.triggerKind = trigger.kind;
        job.createdBy = trigger.actor;
        job.policy = row.document;
        job.trainer = policy.trainer().name();
        job.runner = policy.trainer().runner();
        job.dataFrom = now.minus(policy.data().window());
        job.dataTo = now;
        job.createdAt = now;
        job.updatedAt = now;
        job.stateEnteredAt = now;
        job.attempt = 0;
        RetrainPolicy.Code code = policy.trainer().code();
        if (code != null) {
            // a code trigger trains at its commit; any other at the branch's head, resolved when the job checks it out
            job.codeRepository = code.repository();
            job.codeBranch = codeAt == null || codeAt.branch() == null ? code.branch() : codeAt.branch();
            job.codeCommit = codeAt == null ? null : codeAt.commit();
        }
        String reason = "created by " + trigger.kind + " trigger " + trigger.seq + (trigger.version == null ? "" : " (version " + trigger.version + ")")
                + (job.codeCommit == null ? "" : " at commit " + job.codeCommit + " of " + job.codeBranch);
        job.reason = reason;
        return session.persist(job)
                .chain(() -> jobs.created(session, job, reason))
                .invoke(() -> trigger.jobId = job.id)
                .replaceWith(job);
    }

    /** S3 answers on a worker thread; the transaction that follows must run on the caller's Vert.x context again. */
    private static <T> Uni<T> backOnThisContext(Uni<T> work) {
        return Uni.createFrom().deferred(() -> {
            Context context = Vertx.currentContext();
            return context == null ? work : work.emitOn(task -> context.runOnContext(ignored -> task.run()));
        });
    }

    private static boolean firstDeliveryRace(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("retrain_trigger_first_delivery")) {
                return true;
            }
        }
        return false;
    }
}
