package io.flywheel.deploy.rollout;

/**
 * One change of a deployment: the state before and after, what happened ({@code action}), the
 * version it concerned, and a sentence for the history.
 */
public record Transition(Deployment before, Deployment after, String action, int version, String summary) {
    public static final String PROMOTED = "promoted";
    public static final String CANARY_STARTED = "canary-started";
    public static final String CANARY_ADVANCED = "canary-advanced";
    public static final String CANARY_COMPLETED = "canary-completed";
    public static final String SHADOW_STARTED = "shadow-started";
    public static final String ROLLED_BACK = "rolled-back";

    /** Whether the primary version changed (production's champion alias follows it). */
    public boolean primaryChanged() {
        return !java.util.Objects.equals(before.primary(), after.primary());
    }
}
