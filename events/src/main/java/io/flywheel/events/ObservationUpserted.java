package io.flywheel.events;

import java.time.Instant;
import java.util.Map;

/**
 * The fields of one observation of a trace (a span, a generation, an event, or one of Langfuse's
 * finer span kinds) as one client message sent them. A null field was not sent: messages merge by
 * id in any order, an update may come before its create, and a later {@code receivedAt} wins a field
 * both sent. Generations carry the model, its parameters, token usage by kind
 * ({@code input}, {@code output}, {@code total}, {@code cache_read_input_tokens}, ...) and cost in USD
 * by the same kinds when the client knew it. Key: {@code project + "/" + traceId}.
 */
public record ObservationUpserted(
        String project,
        String id,
        String traceId,
        String type,
        String parentObservationId,
        String name,
        Instant startTime,
        Instant endTime,
        Instant completionStartTime,
        String model,
        Map<String, Object> modelParameters,
        Object input,
        Object output,
        Map<String, Object> metadata,
        String level,
        String statusMessage,
        String version,
        String environment,
        Map<String, Long> usageDetails,
        Map<String, Double> costDetails,
        String promptName,
        Integer promptVersion,
        Instant receivedAt) {
    public static final String TYPE = "io.flywheel.traces.observation.upserted.v1";

    /** Langfuse's observation types; OpenTelemetry spans map onto them. */
    public static final java.util.Set<String> TYPES = java.util.Set.of(
            "SPAN", "GENERATION", "EVENT", "AGENT", "TOOL", "CHAIN", "RETRIEVER", "EVALUATOR", "EMBEDDING", "GUARDRAIL");
    public static final java.util.Set<String> LEVELS = java.util.Set.of("DEBUG", "DEFAULT", "WARNING", "ERROR");

    public ObservationUpserted {
        TraceIds.require("project", project);
        TraceIds.require("id", id);
        if (type != null && !TYPES.contains(type)) {
            throw new IllegalArgumentException("type must be one of " + new java.util.TreeSet<>(TYPES) + ", was " + type);
        }
        if (level != null && !LEVELS.contains(level)) {
            throw new IllegalArgumentException("level must be one of " + new java.util.TreeSet<>(LEVELS) + ", was " + level);
        }
        if (receivedAt == null) {
            receivedAt = Instant.now();
        }
    }

    public String key() {
        return project + "/" + (traceId == null ? id : traceId);
    }
}
