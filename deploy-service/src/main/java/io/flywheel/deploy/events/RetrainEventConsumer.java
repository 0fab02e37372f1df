package io.flywheel.deploy.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.deploy.ConflictException;
import io.flywheel.deploy.GateFailedException;
import io.flywheel.deploy.NotFoundException;
import io.flywheel.deploy.PromotionRecord;
import io.flywheel.deploy.prompt.PromptRollouts;
import io.flywheel.deploy.service.Environments;
import io.flywheel.deploy.service.PromotionService;
import io.flywheel.events.PromotionRequested;
import io.flywheel.events.PromptPromotionRequested;
import io.flywheel.readiness.UntilAvailable;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Retrain's promotion.requested (flywheel.retrain): promotes the candidate through the same gates as
 * the API, with the environment's default strategy, as actor "retrain". Once per CloudEvent id. A
 * failed gate or a rollout already running is recorded (history, promotion.rejected) and
 * acknowledged; while the registry or the database is unavailable the request waits for it
 * (readiness/UntilAvailable). Retrain's prompt-promotion.requested starts a prompt canary
 * (prompt/PromptRollouts), once per CloudEvent id; a refusal is recorded as a refused rollout. Other
 * types on the topic are acknowledged and skipped.
 */
@ApplicationScoped
public class RetrainEventConsumer {

    private final ObjectMapper json;
    private final PromotionService promotions;
    private final Environments environments;
    private final PromptRollouts prompts;

    public RetrainEventConsumer(ObjectMapper json, PromotionService promotions, Environments environments, PromptRollouts prompts) {
        this.json = json;
        this.promotions = promotions;
        this.environments = environments;
        this.prompts = prompts;
    }

    @Incoming("retrain-events")
    public Uni<Void> consume(Message<String> message) {
        var cloudEvent = message.getMetadata(IncomingCloudEventMetadata.class).orElse(null);
        if (cloudEvent == null) {
            return nack(message, "not a CloudEvent: the ce_type header is missing");
        }
        if (PromptPromotionRequested.TYPE.equals(cloudEvent.getType())) {
            return promptPromotion(message, cloudEvent.getId());
        }
        if (!PromotionRequested.TYPE.equals(cloudEvent.getType())) {
            return Uni.createFrom().completionStage(message.ack());
        }
        PromotionRequested request;
        try {
            request = json.readValue(message.getPayload(), PromotionRequested.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return nack(message, "payload of " + cloudEvent.getType() + " does not parse: "
                    + (e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("")));
        }
        if (request.model() == null || request.model().isBlank() || request.version() < 1) {
            return nack(message, "model or version is missing");
        }
        String environment = request.environment() == null || request.environment().isBlank()
                ? environments.names().getFirst() : request.environment();
        if (!environments.names().contains(environment)) {
            return nack(message, "environment '" + environment + "' is not configured");
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        if (request.evidence() != null) {
            evidence.putAll(request.evidence());
        }
        if (request.jobId() != null) {
            evidence.put("job_id", request.jobId());
        }
        String reason = request.reason() != null ? request.reason()
                : "retrain job " + request.jobId() + " asked for a promotion";
        PromotionService.Command command = new PromotionService.Command(request.model(), environment, request.version(), null,
                reason, "retrain", PromotionRecord.SOURCE_RETRAIN, cloudEvent.getId(), null, null, null, evidence);
        return UntilAvailable.settle("retrain-events", message, () -> promotions.promote(command)
                .replaceWithVoid()
                .onFailure(GateFailedException.class).recoverWithUni(e -> {
                    Log.infof("promotion of %s version %d requested by retrain was rejected: %s", request.model(), request.version(),
                            e.getMessage());
                    return Uni.createFrom().voidItem();
                })
                .onFailure(ConflictException.class).recoverWithUni(e -> promotions.recordRefusal(command, e.getMessage()))
                .onFailure(NotFoundException.class).recoverWithUni(e -> promotions.recordRefusal(command, e.getMessage())));
    }

    private Uni<Void> promptPromotion(Message<String> message, String eventId) {
        PromptPromotionRequested request;
        try {
            request = json.readValue(message.getPayload(), PromptPromotionRequested.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return nack(message, "payload of " + PromptPromotionRequested.TYPE + " does not parse: "
                    + (e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("")));
        }
        if (request.scoreName() == null || request.scoreName().isBlank()) {
            return nack(message, "score_name is missing: the canary is judged on that online score");
        }
        Map<String, Object> evidence = new LinkedHashMap<>(request.evidence());
        if (request.baselineVersion() != null) {
            evidence.put("requested_baseline_version", request.baselineVersion());
        }
        String reason = request.reason() != null ? request.reason()
                : "prompt optimisation job " + request.jobId() + " asked for a promotion";
        PromptRollouts.Start start = new PromptRollouts.Start(request.project(), request.prompt(), request.candidateVersion(),
                request.scoreName(), null, "retrain", PromptRollouts.SOURCE_RETRAIN, eventId, request.jobId(), request.experimentId(),
                reason, evidence);
        return UntilAvailable.settle("retrain-events", message, () -> prompts.startRequested(start));
    }

    private static Uni<Void> nack(Message<String> message, String reason) {
        Log.warnf("retrain event dead-lettered: %s", reason);
        return Uni.createFrom().completionStage(message.nack(new IllegalArgumentException(reason)));
    }
}
