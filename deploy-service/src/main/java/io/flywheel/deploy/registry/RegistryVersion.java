package io.flywheel.deploy.registry;

import io.flywheel.deploy.external.ExternalEndpoint;

import java.util.List;
import java.util.Map;

/** A model version as the registry's API returns it (registry-service/README.md); deploy reads only these fields. */
public record RegistryVersion(String model, int version, String status, String framework, String format,
                              Signature signature, Map<String, Double> metrics, Map<String, String> tags,
                              Artifact artifact, Onnx onnx, ExternalEndpoint endpoint) {

    /** The tag where retraining attaches its evaluation of the version against the champion. */
    public static final String EVALUATION_REPORT_TAG = "evaluation.report";

    public static final String READY = "ready";

    /** The format of versions an external v2 server answers for (no artifact, an {@code endpoint}). */
    public static final String EXTERNAL = "external";

    /** A version that is not external. */
    public RegistryVersion(String model, int version, String status, String framework, String format, Signature signature,
                           Map<String, Double> metrics, Map<String, String> tags, Artifact artifact, Onnx onnx) {
        this(model, version, status, framework, format, signature, metrics, tags, artifact, onnx, null);
    }

    /** A version without the registry's reading of an ONNX graph. */
    public RegistryVersion(String model, int version, String status, String framework, String format, Signature signature,
                           Map<String, Double> metrics, Map<String, String> tags, Artifact artifact) {
        this(model, version, status, framework, format, signature, metrics, tags, artifact, null, null);
    }

    /** What the version takes and returns; types are number, integer, string or boolean. */
    public record Signature(List<Field> inputs, Field output) {
    }

    public record Field(String name, String type) {
    }

    public record Artifact(String sha256, long sizeBytes, String contentType) {
    }

    /** What the registry read from an ONNX artifact's graph (docs/CONTRACTS.md, "Model formats"); null otherwise. */
    public record Onnx(List<OnnxValue> inputs, List<OnnxValue> outputs) {
    }

    /** One graph input or output: v2 datatype, shape (-1 for a symbolic axis), a classifier's class labels. */
    public record OnnxValue(String name, String datatype, List<Long> shape, List<String> labels) {
    }

    public boolean isExternal() {
        return EXTERNAL.equals(format);
    }

    public boolean isReady() {
        return READY.equals(status);
    }
}
