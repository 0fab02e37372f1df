package io.flywheel.retrain.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.events.DriftDetected;
import io.flywheel.events.Names;
import io.flywheel.events.QualityDegraded;
import io.flywheel.events.Recovered;
import io.flywheel.readiness.UntilAvailable;
import io.flywheel.retrain.llm.optimise.OptimisationTriggers;
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
 * same event delivered twice is recorded twice but starts at most one job. An {@code llm_score} degradation of a
 * prompt version goes to the prompt optimisation triggers (OptimisationTriggers) instead. {@code recovered} is
 * acknowledged and not acted on. Records that are not CloudEvents or do not parse go to the
 * dead-letter topic with the reason.
 */
@ApplicationScoped
public class MonitorEventConsumer {

    static final String ACTOR = "monitor";

    private final ObjectMapper json;
    private final TriggerService triggers;
    private final OptimisationTriggers optimisations;

    public MonitorEventConsumer(ObjectMapper json, TriggerService triggers, OptimisationTriggers optimisations) {
        this.json = json;
        this.triggers = triggers;
        this.optimisations = optimisations;
    }

    @Incoming("monitor-events")
    public Uni<Void> consume(Message<String> message) {
        var cloudEvent = message.getMetadata(IncomingCloudEventMetadata.class).orElse(null);
        if (cloudEvent == null) {
            return nack(message, "not a CloudEvent: the ce_type header is missing");
        }
        TriggerService.Submission submission;
        QualityDegraded llmScore = null;
        try {
            submission = switch (cloudEvent.getType()) {
                case DriftDetected.TYPE -> drift(json.readValue(message.getPayload(), DriftDetected.class), cloudEvent.getId(), message.getPayload());
                case QualityDegraded.TYPE -> {
                    QualityDegraded e = json.readValue(message.getPayload(), QualityDegraded.class);
                    // LLM score degradations name a prompt version or LLM model: no model to retrain, maybe a prompt to optimise
                    if (QualityDegraded.KIND_LLM_SCORE.equals(e.kind())) {
                        llmScore = e;
                        yield null;
                    }
                    yield quality(e, cloudEvent.getId(), message.getPayload());
                }
                default -> null;
            };
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return nack(message, "payload of " + cloudEvent.getType() + " does not parse: " + e.getMessage());
        }
        if (llmScore != null) {
            return promptOptimisation(llmScore, cloudEvent.getId(), message);
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

    /** A prompt version's score dropped: its optimisation policy, if any, decides (an LLM model's drop: nothing to do here). */
    private Uni<Void> promptOptimisation(QualityDegraded e, String eventId, Message<String> message) {
        QualityDegraded.LlmSubject llm = e.llm();
        if (llm == null || !"prompt".equals(llm.groupBy()) || llm.promptName() == null || llm.project() == null) {
            return Uni.createFrom().completionStage(message.ack());
        }
        return UntilAvailable.settle("monitor-events", message, () -> optimisations.submit(e, eventId));
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
