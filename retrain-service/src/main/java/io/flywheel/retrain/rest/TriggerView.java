package io.flywheel.retrain.rest;

import io.flywheel.retrain.Trigger;

import java.time.Instant;
import java.util.UUID;

/**
 * A recorded trigger: what fired, the decision and why ({@code rule} names the guardrail that
 * refused it), the job it started, or the trigger it duplicated.
 */
public record TriggerView(long seq, String eventId, String model, Integer version, String kind, String actor, Instant receivedAt,
                          String decision, String rule, String reason, UUID jobId, Long duplicateOf) {
    static TriggerView of(Trigger t) {
        return new TriggerView(t.seq, t.eventId, t.model, t.version, t.kind, t.actor, t.receivedAt, t.decision.name().toLowerCase(),
                t.rule, t.reason, t.jobId, t.duplicateOf);
    }
}
