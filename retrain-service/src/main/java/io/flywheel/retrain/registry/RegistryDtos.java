package io.flywheel.retrain.registry;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The registry's JSON shapes (registry-service/README.md), as far as retraining reads and writes them. */
public final class RegistryDtos {

    private RegistryDtos() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DatasetRequest(String name, String description, Map<String, String> tags) {
    }

    public record DatasetView(String name) {
    }

    public record DatasetVersion(String dataset, String id, String sha256, String format, long rows, long sizeBytes,
                                 Instant createdAt) {
    }

    public record Page<T>(List<T> items, String nextCursor) {
    }

    public record Alias(String model, String alias, int version) {
    }

    public record Artifact(String sha256, long sizeBytes, String contentType) {
    }

    /**
     * A model version. {@code format}: {@code flywheel-linear} (or {@code json}, the first trainers' word for
     * it, or null), {@code onnx}, {@code external} (no artifact: an {@code endpoint}).
     */
    public record Version(String model, int version, String status, String framework, String format,
                          Map<String, Double> metrics, Map<String, String> tags, Lineage lineage, Artifact artifact,
                          Signature signature, Endpoint endpoint) {
    }

    /** Where an external version is served (Open Inference Protocol v2); its auth is deploy's business. */
    public record Endpoint(String url) {
    }

    public record Feature(String name, String type) {
    }

    public record Signature(List<Feature> inputs, Feature output) {
    }

    public record DatasetVersionRef(String dataset, String id) {
    }

    public record CodeRef(String repository, String commit) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Lineage(List<DatasetVersionRef> datasetVersions, CodeRef code, String retrainJob, Integer parentVersion) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VersionRequest(String description, String framework, String format, Signature signature,
                                 Map<String, Double> metrics, Map<String, Object> params, Map<String, String> tags,
                                 Lineage lineage) {
    }
}
