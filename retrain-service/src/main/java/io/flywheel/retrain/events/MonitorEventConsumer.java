package io.flywheel.retrain.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.events.DriftDetected;
import io.flywheel.events.Names;
import io.flywheel.events.QualityDegraded;
import io.flywheel.events.Recovered;
import io.flywheel.readiness.UntilAvailable;
import io.flywheel.retrain.policy.TriggerKind;
import io.flywheel.retrain.trigger.TriggerService;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The monitor's verdicts as triggers: {@code drift.detected} and {@code quality.degraded} each go
 * through the model's retrain policy (TriggerService), which records them with the decision — the
 * same event delivered twice is recorded twice but starts at most one job. {@code recovered} is
 * acknowledged and not acted on. Records that are not CloudEvents or do not parse go to the
 * dead-letter topic with the reason.
 */
@ApplicationScoped
public class MonitorEventConsumer {

    static final String ACTOR = "monitor";

    private final ObjectMapper json;
    private final TriggerService triggers;

    public MonitorEventConsumer(ObjectMapper json, TriggerService triggers) {
        this.json = json;
        this.triggers = triggers;
    }

    @Incoming("monitor-events")
    public Uni<Void> consume(Message<String> message) {
        var cloudEvent = message.getMetadata(IncomingCloudEventMetadata.class).orElse(null);
        if (cloudEvent == null) {
            return nack(message, "not a CloudEvent: the ce_type header is missing");
        }
        TriggerService.Submission submission;
        try {
            submission = switch (cloudEvent.getType()) {
                case DriftDetected.TYPE -> drift(json.readValue(message.getPayload(), DriftDetected.class), cloudEvent.getId(), message.getPayload());
                case QualityDegraded.TYPE -> {
                    QualityDegraded e = json.readValue(message.getPayload(), QualityDegraded.class);
                    // LLM score degradations name a prompt version or LLM model: there is no model to retrain
                    yield QualityDegraded.KIND_LLM_SCORE.equals(e.kind()) ? null : quality(e, cloudEvent.getId(), message.getPayload());
                }
                default -> null;
            };
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return nack(message, "payload of " + cloudEvent.getType() + " does not parse: " + e.getMessage());
        }
        if (submission == null) {
            if (Recovered.TYPE.equals(cloudEvent.getType())) {
                Log.debugf("monitor event %s (%s): nothing to retrain", cloudEvent.getId(), cloudEvent.getType());
            }
            return Uni.createFrom().completionStage(message.ack());
        }
        if (submission.model() == null || !submission.model().matches(Names.PATTERN)) {
            return nack(message, "model is missing or does not match " + Names.PATTERN);
        }
        // the event is good: while the database is down it waits for it (readiness/UntilAvailable)
        return UntilAvailable.settle("monitor-events", message, () -> triggers.submit(submission));
    }

    private static TriggerService.Submission drift(DriftDetected drift, String eventId, String payload) {
        String key = "drift:v" + drift.version() + ":" + drift.windowStart() + "/" + drift.windowEnd();
        return new TriggerService.Submission(drift.model(), TriggerKind.DRIFT, drift.version(), eventId, key, false, ACTOR,
                truncate(payload), false);
    }

    private static TriggerService.Submission quality(QualityDegraded degraded, String eventId, String payload) {
        String key = "quality:" + degraded.kind() + ":" + degraded.metric() + ":v" + degraded.version() + ":"
                + degraded.windowStart() + "/" + degraded.windowEnd();
        return new TriggerService.Submission(degraded.model(), TriggerKind.QUALITY, degraded.version(), eventId, key, false, ACTOR,
                truncate(payload), false);
    }

    private static String truncate(String payload) {
        return payload == null || payload.length() <= 8000 ? payload : payload.substring(0, 8000);
    }

    private static Uni<Void> nack(Message<String> message, String reason) {
        Log.warnf("monitor event dead-lettered: %s", reason);
        return Uni.createFrom().completionStage(message.nack(new IllegalArgumentException(reason)));
    }
}
