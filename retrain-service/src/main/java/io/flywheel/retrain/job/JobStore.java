package io.flywheel.retrain.job;

import io.flywheel.events.RetrainJobChanged;
import io.flywheel.retrain.JobFinishedException;
import io.flywheel.retrain.JobLogLine;
import io.flywheel.retrain.JobTransition;
import io.flywheel.retrain.NotFoundException;
import io.flywheel.retrain.RetrainJob;
import io.flywheel.retrain.config.RetrainConfig;
import io.flywheel.outbox.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The persisted job state machine: every change of state is one transaction that checks the move
 * ({@link JobState}), that the caller still holds the job (lease owner and attempt), records the
 * transition and its reason, appends the pending log lines and puts the events in the outbox —
 * all or nothing.
 */
@ApplicationScoped
public class JobStore {

    /** How a requested move ended. */
    public enum MoveResult {
        /** Done as asked. */
        MOVED,
        /** Cancel had been requested: the job went to cancelled instead. */
        CANCELLED,
        /** The caller no longer holds the job (reaped, or moved by someone else): nothing changed. */
        LOST
    }

    /** An event to put in the outbox with a move (key: the model). */
    public record Event(String type, Object payload) {
    }

    /**
     * A move asked by the worker holding the job.
     *
     * @param changes applied to the job with the move (also when it is redirected to cancelled)
     * @param events  sent with the move, not when it is redirected to cancelled
     */
    public record Move(UUID jobId, String owner, int attempt, JobState from, JobState to, String reason,
                       Consumer<RetrainJob> changes, List<Event> events) {
    }

    /** What a heartbeat found about a job this worker runs. */
    public record Signal(boolean lost, boolean cancelRequested) {
    }

    /** The running states as an SQL list ({@code 'preparing-data', 'training', ...}): the states a worker holds under a lease. */
    private static final String RUNNING_STATES = JobState.runningStates().stream().map(s -> "'" + s.id() + "'")
            .collect(Collectors.joining(", "));

    private final Outbox outbox;
    private final int maxLogLines;
    private final MeterRegistry meters;

    public JobStore(Outbox outbox, RetrainConfig config, MeterRegistry meters) {
        this.outbox = outbox;
        this.maxLogLines = config.worker().maxLogLines();
        this.meters = meters;
    }

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** Takes up to {@code max} pending jobs that are due, oldest first, into preparing-data under this worker's lease. */
    public Uni<List<RetrainJob>> claim(String owner, int max, Duration lease) {
        Instant now = now();
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery("""
                                select * from retrain_job where state = 'pending' and cancel_requested_at is null
                                and (not_before is null or not_before <= :now)
                                order by created_at, id limit :max for update skip locked""", RetrainJob.class)
                        .setParameter("now", now)
                        .setParameter("max", max)
                        .getResultList()
                        .chain(jobs -> Multi.createFrom().iterable(jobs)
                                .onItem().transformToUniAndConcatenate(job -> {
                                    job.attempt++;
                                    job.attemptStartedAt = now;
                                    job.startedAt = job.startedAt == null ? now : job.startedAt;
                                    job.leaseOwner = owner;
                                    job.leaseExpiresAt = now.plus(lease);
                                    job.heartbeatAt = now;
                                    job.notBefore = null;
                                    return transition(session, job, JobState.PREPARING_DATA,
                                            "picked up by worker " + owner + " (attempt " + job.attempt + ")", now, List.of())
                                            .replaceWith(job);
                                })
                                .collect().asList())));
    }

    /** Moves a job the caller holds; see {@link MoveResult}. Appends the log lines in the same transaction. */
    public Uni<MoveResult> move(Move move, List<JobLog.Entry> log) {
        Instant now = now();
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .find(RetrainJob.class, move.jobId(), LockModeType.PESSIMISTIC_WRITE)
                .chain(job -> {
                    if (job == null) {
                        return Uni.createFrom().item(MoveResult.LOST);
                    }
                    Uni<Void> logged = appendLog(session, job, log);
                    if (job.state != move.from() || !Objects.equals(job.leaseOwner, move.owner()) || job.attempt != move.attempt()) {
                        Log.infof("job %s: not moved to %s; it is %s, held by %s (attempt %d)", job.id, move.to().id(),
                                job.state.id(), job.leaseOwner, job.attempt);
                        return logged.replaceWith(MoveResult.LOST);
                    }
                    if (move.changes() != null) {
                        move.changes().accept(job);
                    }
                    if (job.cancelRequestedAt != null && move.to() != JobState.CANCELLED) {
                        return logged.chain(() -> transition(session, job, JobState.CANCELLED, "cancelled by "
                                        + job.cancelRequestedBy + " while " + job.state.id(), now, List.of()))
                                .replaceWith(MoveResult.CANCELLED);
                    }
                    String reason = move.to() == JobState.CANCELLED && job.cancelRequestedBy != null
                            ? "cancelled by " + job.cancelRequestedBy + " while " + job.state.id() : move.reason();
                    return logged.chain(() -> transition(session, job, move.to(), reason, now, move.events()))
                            .replaceWith(MoveResult.MOVED);
                })));
    }

    /**
     * Renews the lease of the jobs this worker runs, writes their pending log lines, and says for each
     * whether it is still ours and whether cancel was requested.
     */
    public Uni<Map<UUID, Signal>> heartbeat(String owner, Collection<UUID> ids, Duration lease, Map<UUID, List<JobLog.Entry>> logs) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        Instant now = now();
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .createQuery("from RetrainJob j where j.id in :ids order by j.id", RetrainJob.class)
                .setParameter("ids", ids)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList()
                .chain(jobs -> {
                    Map<UUID, Signal> signals = new HashMap<>();
                    for (UUID id : ids) {
                        signals.put(id, new Signal(true, false));
                    }
                    return Multi.createFrom().iterable(jobs).onItem().transformToUniAndConcatenate(job -> {
                        boolean ours = owner.equals(job.leaseOwner) && job.state.running();
                        if (ours) {
                            job.leaseExpiresAt = now.plus(lease);
                            job.heartbeatAt = now;
                        }
                        signals.put(job.id, new Signal(!ours, job.cancelRequestedAt != null));
                        return appendLog(session, job, logs.getOrDefault(job.id, List.of()));
                    }).collect().last().replaceWith(signals);
                })));
    }

    /**
     * Takes back running jobs whose lease ran out or whose attempt ran past the timeout: tried again,
     * failed or cancelled ({@link Reaping}). Returns how many.
     */
    public Uni<Integer> reap(int maxAttempts, Duration jobTimeout, Duration backoff, Duration maxBackoff) {
        Instant now = now();
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery("""
                                select * from retrain_job
                                where state in (%s)
                                and (lease_expires_at is null or lease_expires_at <= :now or attempt_started_at <= :overdue)
                                order by created_at, id limit 50 for update skip locked""".formatted(RUNNING_STATES), RetrainJob.class)
                        .setParameter("now", now)
                        .setParameter("overdue", now.minus(jobTimeout))
                        .getResultList()
                        .chain(jobs -> Multi.createFrom().iterable(jobs).onItem().transformToUniAndConcatenate(job -> {
                            var decision = Reaping.decide(new Reaping.Lease(job.state, job.leaseOwner, job.attempt,
                                    job.leaseExpiresAt, job.attemptStartedAt, job.cancelRequestedAt != null), now, maxAttempts, jobTimeout);
                            if (decision.isEmpty()) {
                                return Uni.createFrom().item(0);
                            }
                            Log.warnf("job %s of %s: %s", job.id, job.model, decision.get().reason());
                            JobState to = switch (decision.get().action()) {
                                case REQUEUE -> {
                                    job.notBefore = now.plus(Reaping.backoff(job.attempt, backoff, maxBackoff));
                                    yield JobState.PENDING;
                                }
                                case FAIL -> {
                                    job.error = decision.get().reason();
                                    yield JobState.FAILED;
                                }
                                case CANCEL -> JobState.CANCELLED;
                            };
                            return appendLog(session, job, List.of(new JobLog.Entry(now, "warn", decision.get().reason())))
                                    .chain(() -> transition(session, job, to, decision.get().reason(), now, List.of()))
                                    .replaceWith(1);
                        }).collect().asList().map(counts -> counts.stream().mapToInt(Integer::intValue).sum()))));
    }

    /** On shutdown: the jobs this worker still holds go back to pending, to be picked up at once by whoever runs next. */
    public Uni<Integer> release(String owner, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        Instant now = now();
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .createQuery("from RetrainJob j where j.id in :ids and j.leaseOwner = :owner order by j.id", RetrainJob.class)
                .setParameter("ids", ids)
                .setParameter("owner", owner)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList()
                .chain(jobs -> Multi.createFrom().iterable(jobs)
                        .filter(job -> job.state.running())
                        .onItem().transformToUniAndConcatenate(job -> {
                            JobState to = job.cancelRequestedAt != null ? JobState.CANCELLED : JobState.PENDING;
                            String reason = to == JobState.CANCELLED ? "cancelled by " + job.cancelRequestedBy
                                    : "worker " + owner + " shut down while the job was " + job.state.id() + "; to be picked up again";
                            return transition(session, job, to, reason, now, List.of()).replaceWith(1);
                        }).collect().asList().map(List::size))));
    }

    /**
     * Asks a job to stop. A pending job is cancelled at once; a running one is marked, and its worker
     * stops it at its next step (at once when it runs in this instance). 404 for an unknown job, 409
     * for one that has ended.
     */
    public Uni<RetrainJob> requestCancel(UUID id, String actor) {
        Instant now = now();
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .find(RetrainJob.class, id, LockModeType.PESSIMISTIC_WRITE)
                .chain(job -> {
                    if (job == null) {
                        return Uni.createFrom().failure(new NotFoundException("retrain job", id.toString()));
                    }
                    if (job.state.terminal()) {
                        return Uni.createFrom().failure(new JobFinishedException(id.toString(), job.state.id()));
                    }
                    if (job.cancelRequestedAt == null) {
                        job.cancelRequestedAt = now;
                        job.cancelRequestedBy = actor;
                        job.updatedAt = now;
                    }
                    if (job.state == JobState.PENDING) {
                        return transition(session, job, JobState.CANCELLED, "cancelled by " + actor + " before it started", now, List.of())
                                .replaceWith(job);
                    }
                    return appendLog(session, job, List.of(new JobLog.Entry(now, "info", "cancel requested by " + actor)))
                            .replaceWith(job);
                })));
    }

    /** Records a job that was just created as pending (its first transition and its event); the caller persisted it. */
    public Uni<Void> created(Mutiny.Session session, RetrainJob job, String reason) {
        JobTransition row = new JobTransition();
        row.jobId = job.id;
        row.fromState = null;
        row.toState = job.state.id();
        row.at = job.createdAt;
        row.reason = reason;
        return session.persist(row)
                .chain(() -> outbox.add(job.model, RetrainJobChanged.TYPE, RetrainJobChanged.of(job.model, job.id.toString(),
                        job.state.id(), null, job.triggerKind, reason, null, job.createdAt)));
    }

    /**
     * Records a move: state, times, lease, the transition row and the events (the job's own
     * {@code job.changed} first). The caller holds the row lock.
     */
    Uni<Void> transition(Mutiny.Session session, RetrainJob job, JobState to, String reason, Instant now, List<Event> events) {
        JobState from = job.state;
        from.requireMoveTo(to);
        job.state = to;
        job.stateEnteredAt = now;
        job.updatedAt = now;
        job.reason = reason;
        if (to.terminal()) {
            job.finishedAt = now;
        }
        if (to.terminal() || to == JobState.PENDING) {
            job.leaseOwner = null;
            job.leaseExpiresAt = null;
        }
        JobTransition row = new JobTransition();
        row.jobId = job.id;
        row.fromState = from.id();
        row.toState = to.id();
        row.at = now;
        row.reason = reason;
        List<Event> all = new ArrayList<>();
        all.add(new Event(RetrainJobChanged.TYPE, RetrainJobChanged.of(job.model, job.id.toString(), to.id(), from.id(),
                job.triggerKind, reason, job.candidateVersion, now)));
        all.addAll(events == null ? List.of() : events);
        return session.persist(row)
                .chain(() -> Multi.createFrom().iterable(all)
                        .onItem().transformToUniAndConcatenate(e -> outbox.add(job.model, e.type(), e.payload()))
                        .collect().last())
                .invoke(() -> {
                    Log.infof("job %s of %s: %s -> %s: %s", job.id, job.model, from.id(), to.id(), reason);
                    if (to.terminal()) {
                        meters.counter("flywheel.retrain.jobs.ended", "state", to.id()).increment();
                        if (job.createdAt != null) {
                            meters.timer("flywheel.retrain.jobs.duration", "state", to.id())
                                    .record(java.time.Duration.between(job.createdAt, now));
                        }
                    } else if (to == JobState.PENDING) {
                        meters.counter("flywheel.retrain.jobs.requeued").increment();
                    }
                })
                .replaceWithVoid();
    }

    /** Appends log lines, up to retrain.worker.max-log-lines per job; one line then says how many more were dropped. */
    Uni<Void> appendLog(Mutiny.Session session, RetrainJob job, List<JobLog.Entry> entries) {
        if (entries == null || entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<JobLogLine> rows = new ArrayList<>();
        for (JobLog.Entry entry : entries) {
            if (job.logLines < maxLogLines) {
                rows.add(line(job.id, entry.at(), entry.level(), entry.message()));
            } else if (job.logLines == maxLogLines) {
                rows.add(line(job.id, entry.at(), "warn", "log limit of " + maxLogLines + " lines reached; further lines are not kept"));
            }
            job.logLines++;
        }
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return session.persistAll(rows.toArray());
    }

    private static JobLogLine line(UUID jobId, Instant at, String level, String message) {
        JobLogLine line = new JobLogLine();
        line.jobId = jobId;
        line.at = at.truncatedTo(ChronoUnit.MICROS);
        line.level = level;
        line.message = message;
        return line;
    }
}
