package io.flywheel.deploy.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.deploy.MonitorSignal;
import io.flywheel.deploy.prompt.PromptRollouts;
import io.flywheel.deploy.prompt.PromptSignal;
import io.flywheel.deploy.service.RollbackService;
import io.flywheel.events.DriftDetected;
import io.flywheel.events.QualityDegraded;
import io.flywheel.events.Recovered;
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
 * The monitor's verdicts (flywheel.monitor): drift.detected and quality.degraded roll back the
 * version where it is a candidate (and where it is primary, if the environment's policy says so);
 * every verdict, recovered included, is kept as deploy's own record for the canary policy and the
 * soak gate. Applied once per CloudEvent id. Other types are acknowledged and skipped; a record that
 * is not a CloudEvent or does not parse goes to the dead-letter topic. A quality.degraded of kind
 * llm_score that names a prompt version is kept for the prompt canaries (prompt/PromptCanaryDriver),
 * which roll back a candidate it names; other llm_score events name no deployed version and are skipped.
 */
@ApplicationScoped
public class MonitorEventConsumer {

    private final ObjectMapper json;
    private final RollbackService rollbacks;
    private final PromptRollouts prompts;

    public MonitorEventConsumer(ObjectMapper json, RollbackService rollbacks, PromptRollouts prompts) {
        this.json = json;
        this.rollbacks = rollbacks;
        this.prompts = prompts;
    }

    @Incoming("monitor-events")
    public Uni<Void> consume(Message<String> message) {
        var cloudEvent = message.getMetadata(IncomingCloudEventMetadata.class).orElse(null);
        if (cloudEvent == null) {
            return nack(message, "not a CloudEvent: the ce_type header is missing");
        }
        RollbackService.Verdict verdict;
        PromptSignal promptSignal = null;
        try {
            QualityDegraded llm = null;
            verdict = switch (cloudEvent.getType()) {
                case DriftDetected.TYPE -> drift(cloudEvent.getId(), json.readValue(message.getPayload(), DriftDetected.class));
                case QualityDegraded.TYPE -> {
                    QualityDegraded e = json.readValue(message.getPayload(), QualityDegraded.class);
                    // LLM score degradations name a prompt version or LLM model, not a deployed model version
                    if (QualityDegraded.KIND_LLM_SCORE.equals(e.kind())) {
                        llm = e;
                        yield null;
                    }
                    yield degraded(cloudEvent.getId(), e);
                }
                case Recovered.TYPE -> recovered(cloudEvent.getId(), json.readValue(message.getPayload(), Recovered.class));
                default -> null;
            };
            promptSignal = llm == null ? null : promptSignal(cloudEvent.getId(), llm);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return nack(message, "payload of " + cloudEvent.getType() + " does not parse: " + firstLine(e.getMessage()));
        }
        if (promptSignal != null) {
            PromptSignal signal = promptSignal;
            return UntilAvailable.settle("monitor-events", message, () -> prompts.remember(signal));
        }
        if (verdict == null) {
            return Uni.createFrom().completionStage(message.ack());
        }
        if (verdict.model() == null || verdict.model().isBlank() || verdict.version() < 1) {
            return nack(message, "model or version is missing");
        }
        // while the database is down the verdict waits for it (readiness/UntilAvailable)
        return UntilAvailable.settle("monitor-events", message, () -> rollbacks.onVerdict(verdict));
    }

    /** A prompt version's score degradation, for the prompt canaries; null when it names no prompt version. */
    private static PromptSignal promptSignal(String id, QualityDegraded e) {
        QualityDegraded.LlmSubject llm = e.llm();
        if (llm == null || !"prompt".equals(llm.groupBy()) || llm.promptName() == null || llm.promptVersion() == null
                || llm.project() == null) {
            return null;
        }
        PromptSignal s = new PromptSignal();
        s.eventId = id;
        s.project = llm.project();
        s.prompt = llm.promptName();
        s.version = llm.promptVersion();
        s.scoreName = llm.scoreName();
        s.detail = llm.scoreName() + " " + e.metric() + " = " + e.value() + " against threshold " + e.threshold() + " over "
                + e.samples() + " scores (" + e.windowStart() + " to " + e.windowEnd() + ")";
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("metric", e.metric());
        evidence.put("value", e.value());
        evidence.put("threshold", e.threshold());
        evidence.put("samples", e.samples());
        evidence.put("window_start", String.valueOf(e.windowStart()));
        evidence.put("window_end", String.valueOf(e.windowEnd()));
        if (e.evidence() != null && !e.evidence().isEmpty()) {
            evidence.put("details", e.evidence());
        }
        s.evidence = evidence;
        s.receivedAt = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        return s;
    }

    private static RollbackService.Verdict drift(String id, DriftDetected e) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("drifted_features", e.driftedFeatures());
        evidence.put("share_drifted", e.shareDrifted());
        evidence.put("window_start", String.valueOf(e.windowStart()));
        evidence.put("window_end", String.valueOf(e.windowEnd()));
        evidence.put("samples", e.samples());
        if (e.evidence() != null && !e.evidence().isEmpty()) {
            evidence.put("details", e.evidence());
        }
        String detail = "features drifted: " + (e.driftedFeatures() == null ? "[]" : e.driftedFeatures()) + " (share "
                + e.shareDrifted() + ", " + e.samples() + " samples)";
        return new RollbackService.Verdict(id, "drift.detected", e.model(), e.version(), MonitorSignal.DEGRADED, "drift", detail,
                evidence, e.detectedAt());
    }

    private static RollbackService.Verdict degraded(String id, QualityDegraded e) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("metric", e.metric());
        evidence.put("value", e.value());
        evidence.put("threshold", e.threshold());
        evidence.put("window_start", String.valueOf(e.windowStart()));
        evidence.put("window_end", String.valueOf(e.windowEnd()));
        evidence.put("samples", e.samples());
        if (e.evidence() != null && !e.evidence().isEmpty()) {
            evidence.put("details", e.evidence());
        }
        String detail = e.metric() + " = " + e.value() + " against threshold " + e.threshold() + " over " + e.samples() + " samples";
        return new RollbackService.Verdict(id, "quality.degraded", e.model(), e.version(), MonitorSignal.DEGRADED,
                e.kind() == null ? QualityDegraded.KIND_QUALITY : e.kind(), detail, evidence, e.detectedAt());
    }

    private static RollbackService.Verdict recovered(String id, Recovered e) {
        return new RollbackService.Verdict(id, "recovered", e.model(), e.version(), MonitorSignal.RECOVERED,
                e.kind() == null ? "quality" : e.kind(), "recovered", Map.of(), e.recoveredAt());
    }

    private static Uni<Void> nack(Message<String> message, String reason) {
        Log.warnf("monitor event dead-lettered: %s", reason);
        return Uni.createFrom().completionStage(message.nack(new IllegalArgumentException(reason)));
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
