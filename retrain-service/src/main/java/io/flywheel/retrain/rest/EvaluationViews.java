package io.flywheel.retrain.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.flywheel.retrain.llm.Dataset;
import io.flywheel.retrain.llm.DatasetItem;
import io.flywheel.retrain.llm.DatasetRun;
import io.flywheel.retrain.llm.RunItem;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import java.time.Instant;

/** Flywheel's LLM evaluation API shapes (snake_case): datasets, items, runs, run items. */
public final class EvaluationViews {

    private EvaluationViews() {
    }

    public record DatasetRequest(String project,
                                 @NotBlank(message = "name is required") @Size(max = 500, message = "name is at most 500 characters") String name,
                                 String description, JsonNode metadata, JsonNode inputSchema, JsonNode expectedOutputSchema) {
    }

    public record ItemRequest(@Size(max = 255, message = "id is at most 255 characters") String id, JsonNode input,
                              JsonNode expectedOutput, JsonNode metadata, String sourceTraceId, String sourceObservationId,
                              String status) {
    }

    public record DatasetView(String id, String project, String name, String description, JsonNode metadata, JsonNode inputSchema,
                              JsonNode expectedOutputSchema, Instant createdAt, Instant updatedAt) {
        static DatasetView of(Dataset d) {
            return new DatasetView(d.id(), d.project(), d.name(), d.description(), d.metadata(), d.inputSchema(), d.expectedOutputSchema(),
                    d.createdAt(), d.updatedAt());
        }
    }

    public record ItemView(String id, String dataset, String status, JsonNode input, JsonNode expectedOutput, JsonNode metadata,
                           String sourceTraceId, String sourceObservationId, Instant createdAt, Instant updatedAt) {
        static ItemView of(DatasetItem i) {
            return new ItemView(i.id(), i.datasetName(), i.status(), i.input(), i.expectedOutput(), i.metadata(), i.sourceTraceId(),
                    i.sourceObservationId(), i.createdAt(), i.updatedAt());
        }
    }

    /** Progress of an experiment: items done and failed of the total. */
    public record Progress(Integer total, int done, int failed) {
    }

    /** A run; the experiment fields are null for a run an SDK made. */
    public record RunView(String id, String project, String dataset, String name, String description, JsonNode metadata,
                          String status, Progress progress, JsonNode prompt, String model, JsonNode evaluators, JsonNode settings,
                          String error, String createdBy, Instant createdAt, Instant updatedAt, Instant startedAt, Instant finishedAt) {
        static RunView of(DatasetRun r) {
            return new RunView(r.id(), r.project(), r.datasetName(), r.name(), r.description(), r.metadata(), r.status(),
                    r.experiment() ? new Progress(r.itemsTotal(), r.itemsDone(), r.itemsFailed()) : null, r.prompt(), r.model(),
                    r.evaluators(), r.settings(), r.error(), r.createdBy(), r.createdAt(), r.updatedAt(), r.startedAt(), r.finishedAt());
        }
    }

    public record RunItemView(String id, String run, String datasetItemId, String traceId, String observationId, JsonNode output,
                              JsonNode scores, Long latencyMs, Long promptTokens, Long completionTokens, Long totalTokens, String error,
                              Instant createdAt, Instant updatedAt) {
        static RunItemView of(RunItem r) {
            return new RunItemView(r.id(), r.runName(), r.datasetItemId(), r.traceId(), r.observationId(), r.output(), r.scores(),
                    r.latencyMs(), r.promptTokens(), r.completionTokens(), r.totalTokens(), r.error(), r.createdAt(), r.updatedAt());
        }
    }

    /** A run with every item's outcome. */
    public record RunDetailView(RunView run, java.util.List<RunItemView> items) {
    }
}
