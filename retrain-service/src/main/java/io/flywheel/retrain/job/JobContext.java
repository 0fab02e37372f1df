package io.flywheel.retrain.job;

import io.flywheel.retrain.RetrainJob;
import io.flywheel.retrain.policy.RetrainPolicy;
import io.flywheel.retrain.runner.TrainingRun;

import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

/**
 * A job while one worker runs it: what it was created with, the state it is in, and the signals that
 * stop it (cancel requested, lease lost). The worker thread reads them; the heartbeat and the cancel
 * API set them.
 */
public final class JobContext {

    /** Thrown at a checkpoint when the job must stop. */
    public static final class Stop extends RuntimeException {
        public final boolean cancelled;

        Stop(boolean cancelled) {
            super(cancelled ? "cancel requested" : "lease lost", null, false, false);
            this.cancelled = cancelled;
        }
    }

    public final UUID id;
    public final String model;
    public final String owner;
    public final int attempt;
    public final RetrainPolicy policy;
    public final String triggerKind;
    public final Instant createdAt;
    public final Instant dataFrom;
    public final Instant dataTo;
    public final Instant attemptStartedAt;
    public final Path workDir;
    public final JobLog log;
    /** The trainer's code in git (policy trainer.code), or null: the repository and branch the job was created with. */
    public final String codeRepository;
    public final String codeBranch;

    /** The commit it trains at: a code trigger's, or the branch's head once checked out; null before that or without code. */
    private volatile String codeCommit;

    private volatile JobState state;
    private volatile boolean cancelRequested;
    private volatile boolean leaseLost;
    private volatile TrainingRun run;

    public JobContext(RetrainJob job, RetrainPolicy policy, Path workDir) {
        this.id = job.id;
        this.model = job.model;
        this.owner = job.leaseOwner;
        this.attempt = job.attempt;
        this.policy = policy;
        this.triggerKind = job.triggerKind;
        this.createdAt = job.createdAt;
        this.dataFrom = job.dataFrom;
        this.dataTo = job.dataTo;
        this.attemptStartedAt = job.attemptStartedAt;
        this.workDir = workDir;
        this.log = new JobLog(job.id);
        this.codeRepository = job.codeRepository;
        this.codeBranch = job.codeBranch;
        this.codeCommit = job.codeCommit;
        this.state = job.state;
        this.cancelRequested = job.cancelRequestedAt != null;
    }

    public JobState state() {
        return state;
    }

    void state(JobState state) {
        this.state = state;
    }

    public String codeCommit() {
        return codeCommit;
    }

    void codeCommit(String commit) {
        this.codeCommit = commit;
    }

    public boolean cancelRequested() {
        return cancelRequested;
    }

    public boolean leaseLost() {
        return leaseLost;
    }

    /** Cancel was requested: stop the trainer, and the job at its next checkpoint. */
    public void requestCancel() {
        cancelRequested = true;
        stopRun();
    }

    /** The job is no longer ours (reaped, or taken by another worker): stop without touching it. */
    public void loseLease() {
        leaseLost = true;
        stopRun();
    }

    void run(TrainingRun run) {
        this.run = run;
        if (cancelRequested || leaseLost) {
            stopRun();
        }
    }

    private void stopRun() {
        TrainingRun current = run;
        if (current != null) {
            current.cancel();
        }
    }

    /** Throws {@link Stop} when the job must not go on. */
    public void checkpoint() {
        if (leaseLost) {
            throw new Stop(false);
        }
        if (cancelRequested) {
            throw new Stop(true);
        }
    }
}
