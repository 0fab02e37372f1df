package io.flywheel.retrain.llm.langfuse;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.flywheel.retrain.llm.Dataset;
import io.flywheel.retrain.llm.DatasetItem;
import io.flywheel.retrain.llm.DatasetRun;
import io.flywheel.retrain.llm.RunItem;

import java.time.Instant;
import java.util.List;

/** Langfuse's dataset API shapes (camelCase, nulls written), from its Fern definitions (datasets, dataset-items, dataset-run-items). */
public final class LangfuseViews {

    private LangfuseViews() {
    }

    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Meta(int page, int limit, long totalItems, long totalPages) {
        static Meta of(int page, int limit, long total) {
            return new Meta(page, limit, total, (total + limit - 1) / limit);
        }
    }

    /** Every list: {@code meta.totalPages} is what the SDKs' paging loops stop on. */
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Paged<T>(List<T> data, Meta meta) {
    }

    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Error(String message, String error) {
    }

    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Message(String message) {
    }

    // ---- bodies

    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    public record CreateDataset(String name, String description, JsonNode metadata, JsonNode inputSchema, JsonNode expectedOutputSchema) {
    }

    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    public record CreateItem(String datasetName, JsonNode input, JsonNode expectedOutput, JsonNode metadata, String sourceTraceId,
                             String sourceObservationId, String id, String status) {
    }

    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    public record CreateRunItem(String runName, String runDescription, JsonNode metadata, String datasetItemId, String traceId,
                                String observationId, JsonNode datasetVersion, JsonNode createdAt) {
    }

    // ---- answers

    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record DatasetView(String id, String name, String description, JsonNode metadata, JsonNode inputSchema,
                              JsonNode expectedOutputSchema, String projectId, Instant createdAt, Instant updatedAt) {
        static DatasetView of(Dataset d) {
            return new DatasetView(d.id(), d.name(), d.description(), d.metadata(), d.inputSchema(), d.expectedOutputSchema(),
                    d.project(), d.createdAt(), d.updatedAt());
        }
    }

    /** The legacy {@code /api/public/datasets} shape: the dataset with its items and its runs' names. */
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record LegacyDatasetView(String id, String name, String description, JsonNode metadata, JsonNode inputSchema,
                                    JsonNode expectedOutputSchema, String projectId, Instant createdAt, Instant updatedAt,
                                    List<ItemView> items, List<String> runs) {
        static LegacyDatasetView of(Dataset d, List<ItemView> items, List<String> runs) {
            return new LegacyDatasetView(d.id(), d.name(), d.description(), d.metadata(), d.inputSchema(), d.expectedOutputSchema(),
                    d.project(), d.createdAt(), d.updatedAt(), items, runs);
        }
    }

    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ItemView(String id, String status, JsonNode input, JsonNode expectedOutput, JsonNode metadata, String sourceTraceId,
                           String sourceObservationId, String datasetId, String datasetName, Instant createdAt, Instant updatedAt,
                           List<Object> mediaReferences) {
        static ItemView of(DatasetItem i) {
            return new ItemView(i.id(), i.status(), i.input(), i.expectedOutput(), i.metadata(), i.sourceTraceId(), i.sourceObservationId(),
                    i.datasetId(), i.datasetName(), i.createdAt(), i.updatedAt(), List.of());
        }
    }

    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record RunItemView(String id, String datasetRunId, String datasetRunName, String datasetItemId, String traceId,
                              String observationId, Instant createdAt, Instant updatedAt) {
        static RunItemView of(RunItem r) {
            return new RunItemView(r.id(), r.runId(), r.runName(), r.datasetItemId(), r.traceId(), r.observationId(), r.createdAt(),
                    r.updatedAt());
        }
    }

    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record RunView(String id, String name, String description, JsonNode metadata, String datasetId, String datasetName,
                          Instant createdAt, Instant updatedAt) {
        static RunView of(DatasetRun r) {
            return new RunView(r.id(), r.name(), r.description(), r.metadata(), r.datasetId(), r.datasetName(), r.createdAt(), r.updatedAt());
        }
    }

    /** A run with its items ({@code GET /datasets/{name}/runs/{runName}}). */
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record RunWithItemsView(String id, String name, String description, JsonNode metadata, String datasetId, String datasetName,
                                   Instant createdAt, Instant updatedAt, List<RunItemView> datasetRunItems) {
        static RunWithItemsView of(DatasetRun r, List<RunItem> items) {
            return new RunWithItemsView(r.id(), r.name(), r.description(), r.metadata(), r.datasetId(), r.datasetName(), r.createdAt(),
                    r.updatedAt(), items.stream().map(RunItemView::of).toList());
        }
    }
}
