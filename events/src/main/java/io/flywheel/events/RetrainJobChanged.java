package io.flywheel.events;

import java.time.Instant;

/**
 * A retrain job moved to another state (pending, preparing-data, training, evaluating, testing (its model tests), registering,
 * promotion-requested, rejected, failed, cancelled); {@code previousState} is null when the job was
 * just created. For dashboards and audit: deploy acts on {@link PromotionRequested}, not on this.
 * Key: the model name.
 */
public record RetrainJobChanged(
        String model,
        String jobId,
        String state,
        String previousState,
        /* what started the job: drift, quality, schedule, manual */
        String trigger,
        /* why it moved, e.g. the evaluation's decision or the failure */
        String reason,
        /* the candidate version once registered, else null */
        Integer candidateVersion,
        Instant changedAt) {
    public static final String TYPE = "io.flywheel.retrain.job.changed.v1";

    public static RetrainJobChanged of(String model, String jobId, String state, String previousState, String trigger,
                                       String reason, Integer candidateVersion, Instant changedAt) {
        return new RetrainJobChanged(model, jobId, state, previousState, trigger, reason, candidateVersion, changedAt);
    }
}
