package io.flywheel.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A model version was finalised in the registry: its artifact is stored and checked, and from now
 * on its metadata and bytes never change. Key: the model name.
 */
public record ModelVersionRegistered(
        String model,
        int version,
        String framework,
        String format,
        Map<String, Double> metrics,
        /* the exact dataset versions it was trained on */
        List<DatasetVersionRef> datasetVersions,
        /* SHA-256 (hex) of the artifact: its blob is blobs/sha256/<hex> in the registry's bucket */
        String artifactSha256,
        /* the version of the same model it was derived from, or null */
        Integer parentVersion,
        /* the retrain job that produced it, or null */
        String retrainJob,
        Instant registeredAt) {
    public static final String TYPE = "io.flywheel.registry.model-version.registered.v1";

    /** One registered dataset version: the dataset's name and the SHA-256 (hex) of its content. */
    public record DatasetVersionRef(String dataset, String id) {
    }

    public static ModelVersionRegistered of(String model, int version, String framework, String format,
                                            Map<String, Double> metrics, List<DatasetVersionRef> datasetVersions,
                                            String artifactSha256, Integer parentVersion, String retrainJob,
                                            Instant registeredAt) {
        return new ModelVersionRegistered(model, version, framework, format, Map.copyOf(metrics),
                List.copyOf(datasetVersions), artifactSha256, parentVersion, retrainJob, registeredAt);
    }
}
