package io.flywheel.retrain.llm;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One dataset item's outcome in one run: the trace (and observation) it produced; for experiment runs
 * also the output, the scores ({@code [{name, type, value, category, comment}]}), latency, tokens, or
 * the error that stopped it.
 */
public record RunItem(String id, String project, String runId, String runName, String datasetItemId, String traceId,
                      String observationId, JsonNode output, JsonNode scores, Long latencyMs, Long promptTokens,
                      Long completionTokens, Long totalTokens, String error, Instant createdAt, Instant updatedAt) {

    /** A link from a client (Langfuse's {@code POST /dataset-run-items}): the run is created when its name is new. */
    public record Link(String runName, String runDescription, JsonNode metadata, String datasetItemId, String traceId,
                       String observationId) {
    }

    /** What an experiment produced for one item. */
    public record Outcome(String datasetItemId, String traceId, String observationId, JsonNode output, JsonNode scores,
                          Long latencyMs, Long promptTokens, Long completionTokens, Long totalTokens, String error) {
    }
}
