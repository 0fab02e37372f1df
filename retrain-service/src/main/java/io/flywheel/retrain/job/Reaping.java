package io.flywheel.retrain.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What becomes of a running job whose worker stopped renewing its lease (the service died or hung)
 * or that ran past the job timeout: tried again from the start while attempts remain, failed
 * otherwise, cancelled when someone asked for it. Plain Java, so the rule is tested on its own.
 */
public final class Reaping {

    public enum Action { REQUEUE, FAIL, CANCEL }

    public record Decision(Action action, String reason) {
    }

    /** One running job as the reaper sees it. */
    public record Lease(JobState state, String owner, int attempt, Instant leaseExpiresAt, Instant attemptStartedAt,
                        boolean cancelRequested) {
    }

    private Reaping() {
    }

    /**
     * Empty when the job is fine (not running, or its lease is alive and it is within the timeout).
     *
     * @param maxAttempts attempts a job gets in all (the first run included)
     */
    public static Optional<Decision> decide(Lease job, Instant now, int maxAttempts, Duration jobTimeout) {
        if (!job.state().running()) {
            return Optional.empty();
        }
        boolean expired = job.leaseExpiresAt() == null || !job.leaseExpiresAt().isAfter(now);
        boolean overdue = job.attemptStartedAt() != null && jobTimeout != null
                && !job.attemptStartedAt().plus(jobTimeout).isAfter(now);
        if (!expired && !overdue) {
            return Optional.empty();
        }
        String owner = job.owner() == null ? "its worker" : "worker " + job.owner();
        if (job.cancelRequested()) {
            return Optional.of(new Decision(Action.CANCEL, "cancelled: " + owner + " stopped while the job was " + job.state().id()));
        }
        if (overdue) {
            return Optional.of(new Decision(Action.FAIL, "timed out: attempt " + job.attempt() + " ran longer than "
                    + jobTimeout + " (" + job.state().id() + ")"));
        }
        if (job.attempt() < maxAttempts) {
            return Optional.of(new Decision(Action.REQUEUE, owner + " stopped renewing its lease while the job was "
                    + job.state().id() + "; trying again (attempt " + (job.attempt() + 1) + " of " + maxAttempts + ")"));
        }
        return Optional.of(new Decision(Action.FAIL, owner + " stopped renewing its lease while the job was "
                + job.state().id() + ", and all " + maxAttempts + " attempts are used"));
    }

    /** The wait before attempt {@code attempt + 1}: {@code initial · 2^(attempt − 1)}, at most {@code max}. */
    public static Duration backoff(int attempt, Duration initial, Duration max) {
        int doublings = Math.max(0, Math.min(attempt - 1, 30));
        Duration wait = initial.multipliedBy(1L << doublings);
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
