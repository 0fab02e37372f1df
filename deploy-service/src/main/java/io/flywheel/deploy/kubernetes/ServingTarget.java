package io.flywheel.deploy.kubernetes;

/**
 * Where a deployment's live version runs when it is not deploy's built-in runtime: the seam the
 * rollout code calls after a promotion or a rollback changed a primary version. Blocking; callers run
 * it on a worker thread.
 */
public interface ServingTarget {

    /** The version the model's workload runs, or null when it has none. */
    Integer version(String model);

    /** Rolls the model's workload to {@code version} and waits until it is rolled out, failed, or the wait ran out. */
    Rollout rollTo(String model, int version);

    /** Rolls the model's workload back to the version it served before the last roll. */
    Rollout rollBack(String model);

    /**
     * How a roll ended.
     *
     * @param version  the version rolled to
     * @param previous the version it replaced, or null for a new workload
     * @param status   DONE, FAILED, or ROLLING when the wait ran out first
     */
    record Rollout(String model, int version, Integer previous, RolloutStatus status) {
        public boolean done() {
            return status.state() == RolloutStatus.State.DONE;
        }
    }
}
