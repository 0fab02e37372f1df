package io.flywheel.monitor.llm;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Stored traces, observations, scores and sessions as the read APIs see them. */
public final class Rows {

    private Rows() {
    }

    /** {@code time} is the trace's own timestamp, else its first observation's start, else when it was first stored. */
    public record Trace(String project, String id, Instant time, Instant timestamp, String name, String userId, String sessionId,
                        String release, String version, String environment, List<String> tags, Boolean isPublic, Object input,
                        Object output, Object metadata, int observationCount, Instant observationsStart, Instant observationsEnd,
                        Double latencyMs, Double totalCost, Long inputTokens, Long outputTokens, Long totalTokens,
                        List<String> models, Instant createdAt, Instant updatedAt) {
    }

    public record Observation(String project, String id, String traceId, String type, String parentObservationId, String name,
                              Instant startTime, Instant endTime, Instant completionStartTime, String model,
                              Object modelParameters, Object input, Object output, Object metadata, String level,
                              String statusMessage, String version, String environment, Map<String, Object> usageDetails,
                              Map<String, Object> costDetails, String promptName, Integer promptVersion, Long inputTokens,
                              Long outputTokens, Long totalTokens, Map<String, Object> calculatedCostDetails,
                              Double givenTotalCost, Double calculatedTotalCost, Double totalCost, String costSource,
                              String priceModel, Instant priceValidFrom, Double latencyMs, Instant createdAt, Instant updatedAt) {
    }

    public record Score(String project, String id, String name, String traceId, String observationId, String sessionId,
                        String datasetRunId, Double value, String stringValue, String dataType, String source, String comment,
                        Object metadata, String configId, String environment, Instant timestamp, Instant receivedAt,
                        Instant createdAt, Instant updatedAt) {
    }

    public record Session(String project, String id, Instant createdAt, Instant lastTraceAt, long traces,
                          List<String> environments, Double totalCost, Long totalTokens) {
    }
}
