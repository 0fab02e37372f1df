package io.flywheel.deploy.registry;

import java.util.List;
import java.util.Map;

/** A model version as the registry's API returns it (CONTRACTS.md); deploy reads only these fields. */
public record RegistryVersion(String model, int version, String status, String framework, String format,
                              Signature signature, Map<String, Double> metrics, Map<String, String> tags,
                              Artifact artifact) {

    /** The tag where retraining attaches its evaluation of the version against the champion. */
    public static final String EVALUATION_REPORT_TAG = "evaluation.report";

    public static final String READY = "ready";

    /** What the version takes and returns; types are number, integer, string or boolean. */
    public record Signature(List<Field> inputs, Field output) {
    }

    public record Field(String name, String type) {
    }

    public record Artifact(String sha256, long sizeBytes, String contentType) {
    }

    public boolean isReady() {
        return READY.equals(status);
    }
}
