package io.flywheel.retrain.llm;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One example: an input, the output expected of it (if any), metadata, and the trace or observation
 * it was taken from. {@code ARCHIVED} items stay readable but experiments skip them.
 */
public record DatasetItem(String project, String id, String datasetId, String datasetName, String status, JsonNode input,
                          JsonNode expectedOutput, JsonNode metadata, String sourceTraceId, String sourceObservationId,
                          Instant createdAt, Instant updatedAt) {

    public static final String ACTIVE = "ACTIVE";
    public static final String ARCHIVED = "ARCHIVED";

    /** What a client sends to create or update an item; a null field leaves the stored value as it is. */
    public record Draft(String datasetName, String id, JsonNode input, JsonNode expectedOutput, JsonNode metadata,
                        String sourceTraceId, String sourceObservationId, String status) {
    }
}
