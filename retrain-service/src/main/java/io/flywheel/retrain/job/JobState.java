package io.flywheel.retrain.job;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The states of a retrain job and the moves between them. Plain Java: the one place that says
 * which transitions exist; the store refuses any other.
 *
 * <pre>
 * pending ─► preparing-data ─► training ─► evaluating ─► testing ─► registering ─► promotion-requested
 *                                               │             │            └──────► rejected
 *                                               │             └───────────────────► rejected (a model test failed: not registered)
 *                                               ├─► registering (no model tests, or a losing candidate registered as rejected)
 *                                               └─────────────────────────────────► rejected (not registered, by policy)
 * any running state ─► failed | cancelled | pending (its worker died or a transient failure: tried again)
 * pending ─► cancelled | failed
 * </pre>
 */
public enum JobState {
    PENDING("pending"),
    PREPARING_DATA("preparing-data"),
    TRAINING("training"),
    EVALUATING("evaluating"),
    /** The policy's model tests run on a candidate that beat the champion (only when the policy declares some). */
    TESTING("testing"),
    REGISTERING("registering"),
    PROMOTION_REQUESTED("promotion-requested"),
    REJECTED("rejected"),
    FAILED("failed"),
    CANCELLED("cancelled");

    private static final Map<JobState, Set<JobState>> NEXT = Map.of(
            PENDING, EnumSet.of(PREPARING_DATA, CANCELLED, FAILED),
            PREPARING_DATA, EnumSet.of(TRAINING, FAILED, CANCELLED, PENDING),
            TRAINING, EnumSet.of(EVALUATING, FAILED, CANCELLED, PENDING),
            EVALUATING, EnumSet.of(TESTING, REGISTERING, REJECTED, FAILED, CANCELLED, PENDING),
            TESTING, EnumSet.of(REGISTERING, REJECTED, FAILED, CANCELLED, PENDING),
            REGISTERING, EnumSet.of(PROMOTION_REQUESTED, REJECTED, FAILED, CANCELLED, PENDING),
            PROMOTION_REQUESTED, EnumSet.noneOf(JobState.class),
            REJECTED, EnumSet.noneOf(JobState.class),
            FAILED, EnumSet.noneOf(JobState.class),
            CANCELLED, EnumSet.noneOf(JobState.class));

    private final String id;

    JobState(String id) {
        this.id = id;
    }

    /** The name in the API, the database and events: {@code preparing-data}. */
    public String id() {
        return id;
    }

    /** Nothing happens to the job any more. */
    public boolean terminal() {
        return NEXT.get(this).isEmpty();
    }

    /** A worker holds the job (under a lease) while it is in this state. */
    public boolean running() {
        return this != PENDING && !terminal();
    }

    public boolean canMoveTo(JobState next) {
        return NEXT.get(this).contains(next);
    }

    /** Throws when the move does not exist: a bug in the caller, never a user error. */
    public void requireMoveTo(JobState next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("a retrain job can't move from " + id + " to " + next.id);
        }
    }

    public static Set<JobState> runningStates() {
        return Arrays.stream(values()).filter(JobState::running).collect(Collectors.toCollection(() -> EnumSet.noneOf(JobState.class)));
    }

    public static Set<JobState> activeStates() {
        return Arrays.stream(values()).filter(s -> !s.terminal()).collect(Collectors.toCollection(() -> EnumSet.noneOf(JobState.class)));
    }

    /** The state named {@code id}; IllegalArgumentException listing the names otherwise. */
    public static JobState of(String id) {
        for (JobState state : values()) {
            if (state.id.equals(id)) {
                return state;
            }
        }
        throw new IllegalArgumentException("state must be one of " + Arrays.stream(values()).map(JobState::id)
                .collect(Collectors.joining(", ")) + "; got '" + id + "'");
    }
}
