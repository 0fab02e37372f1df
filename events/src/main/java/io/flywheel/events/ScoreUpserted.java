package io.flywheel.events;

import java.time.Instant;
import java.util.Map;

/**
 * A score on a trace (optionally one of its observations), a session or a dataset run: numeric,
 * categorical or boolean (0 or 1, with {@code stringValue} "True" or "False"), by an API client, an
 * evaluator or a person. Exactly one target. The consumer keeps the latest message per id and does
 * not require its target to exist yet (Langfuse's SDKs send scores before their traces).
 * Key: {@code project + "/" + } the target's id.
 */
public record ScoreUpserted(
        String project,
        String id,
        String name,
        String traceId,
        String observationId,
        String sessionId,
        String datasetRunId,
        Double value,
        String stringValue,
        String dataType,
        String source,
        String comment,
        Map<String, Object> metadata,
        String configId,
        String environment,
        Instant timestamp,
        Instant receivedAt) {
    public static final String TYPE = "io.flywheel.traces.score.upserted.v1";

    public static final java.util.Set<String> DATA_TYPES = java.util.Set.of("NUMERIC", "CATEGORICAL", "BOOLEAN", "TEXT", "CORRECTION");
    public static final java.util.Set<String> SOURCES = java.util.Set.of("API", "EVAL", "ANNOTATION");

    public ScoreUpserted {
        TraceIds.require("project", project);
        TraceIds.require("id", id);
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name is required");
        }
        int targets = (traceId != null ? 1 : 0) + (sessionId != null ? 1 : 0) + (datasetRunId != null ? 1 : 0);
        if (targets != 1) {
            throw new IllegalArgumentException("a score needs exactly one of traceId, sessionId or datasetRunId");
        }
        if (observationId != null && traceId == null) {
            throw new IllegalArgumentException("observationId needs the traceId of its trace");
        }
        if (dataType == null || !DATA_TYPES.contains(dataType)) {
            throw new IllegalArgumentException("dataType must be one of " + new java.util.TreeSet<>(DATA_TYPES) + ", was " + dataType);
        }
        if (source == null) {
            source = "API";
        } else if (!SOURCES.contains(source)) {
            throw new IllegalArgumentException("source must be one of " + new java.util.TreeSet<>(SOURCES) + ", was " + source);
        }
        if (value == null && stringValue == null) {
            throw new IllegalArgumentException("value is required");
        }
        if (receivedAt == null) {
            receivedAt = Instant.now();
        }
        if (timestamp == null) {
            timestamp = receivedAt;
        }
    }

    public String key() {
        String target = traceId != null ? traceId : sessionId != null ? "session:" + sessionId : "run:" + datasetRunId;
        return project + "/" + target;
    }
}
