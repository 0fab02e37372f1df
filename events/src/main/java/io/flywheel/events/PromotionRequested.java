package io.flywheel.events;

import java.time.Instant;
import java.util.Map;

/**
 * Retraining produced a candidate that beat the champion by the required margin, and asks deploy to
 * promote it; deploy's gates still decide. Key: the model name.
 */
public record PromotionRequested(
        String model,
        int version,
        /* where to promote first, usually "staging" */
        String environment,
        String jobId,
        /* the evaluation that justified the request: metric, candidate, champion, margin */
        Map<String, Object> evidence,
        String reason,
        Instant requestedAt) {
    public static final String TYPE = "io.flywheel.retrain.promotion.requested.v1";

    public static PromotionRequested of(String model, int version, String environment, String jobId,
                                        Map<String, Object> evidence, String reason, Instant requestedAt) {
        return new PromotionRequested(model, version, environment, jobId, Map.copyOf(evidence), reason, requestedAt);
    }
}
