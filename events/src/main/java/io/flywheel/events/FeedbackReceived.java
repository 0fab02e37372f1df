package io.flywheel.events;

import java.time.Instant;

/**
 * The ground truth for an earlier prediction, joined to it by request id; labels may come hours
 * after the prediction. Key: the model name. A missing time means "now".
 */
public record FeedbackReceived(String requestId, String model, Object label, Instant time) {
    public static final String TYPE = "io.flywheel.feedback.label.received.v1";

    public FeedbackReceived {
        if (requestId == null || requestId.isBlank() || requestId.length() > 128) {
            throw new IllegalArgumentException("request_id is required (1 to 128 characters)");
        }
        if (model == null || !model.matches(Names.PATTERN)) {
            throw new IllegalArgumentException("model is required and must match " + Names.PATTERN);
        }
        if (label == null) {
            throw new IllegalArgumentException("label is required");
        }
        if (time == null) {
            time = Instant.now();
        }
    }

    public static FeedbackReceived of(String requestId, String model, Object label, Instant time) {
        return new FeedbackReceived(requestId, model, label, time);
    }
}
