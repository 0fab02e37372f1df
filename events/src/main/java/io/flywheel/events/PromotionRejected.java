package io.flywheel.events;

import java.time.Instant;
import java.util.List;

/**
 * A promotion did not happen: one of deploy's gates failed (or a manual approver said no, or
 * another rollout was in progress), and what serves the environment stayed as it was. The checks
 * are the gates in the order they ran, each with its result. Key: the model name.
 */
public record PromotionRejected(
        String model,
        String environment,
        int version,
        String strategy,
        /* the gate that failed: finalised, servable, metrics, soak, approval, or conflict */
        String failedGate,
        String detail,
        List<Check> checks,
        /* who or what asked for the promotion: a user, "retrain" */
        String actor,
        String promotionId,
        Instant rejectedAt) {
    public static final String TYPE = "io.flywheel.deploy.promotion.rejected.v1";

    /** One gate and its result: passed, failed, pending, not-required or not-run. */
    public record Check(String gate, String status, String detail) {
    }

    public static PromotionRejected of(String model, String environment, int version, String strategy, String failedGate,
                                       String detail, List<Check> checks, String actor, String promotionId,
                                       Instant rejectedAt) {
        return new PromotionRejected(model, environment, version, strategy, failedGate, detail, List.copyOf(checks), actor,
                promotionId, rejectedAt);
    }
}
