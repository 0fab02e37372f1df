package io.flywheel.retrain.llm;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A run over a dataset, by name (unique in the dataset). A Langfuse SDK's run is created by its first
 * run item and has no status; an experiment run here also records its prompt, model, evaluators,
 * settings, status ({@code queued}, {@code running}, then {@code succeeded}, {@code failed} or
 * {@code partial}) and progress.
 */
public record DatasetRun(String id, String project, String datasetId, String datasetName, String name, String description,
                         JsonNode metadata, JsonNode prompt, String model, JsonNode evaluators, JsonNode settings, String status,
                         Integer itemsTotal, int itemsDone, int itemsFailed, String error, String createdBy, Instant createdAt,
                         Instant updatedAt, Instant startedAt, Instant finishedAt) {

    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String PARTIAL = "partial";

    public boolean experiment() {
        return status != null;
    }
}
