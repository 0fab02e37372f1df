package io.flywheel.deploy.rollout;

import java.util.Map;

/** What the canary policy says about a running canary right now. */
public sealed interface CanaryDecision {

    /** Why it was decided, for the history. */
    Map<String, Object> evidence();

    /** Stay on the current step. */
    record Hold(String reason, Map<String, Object> evidence) implements CanaryDecision {
    }

    /** Move to the next step, which is not the last. */
    record Advance(int step, int percent, Map<String, Object> evidence) implements CanaryDecision {
    }

    /** The last step is reached: the candidate becomes the primary version. */
    record Complete(Map<String, Object> evidence) implements CanaryDecision {
    }
}
