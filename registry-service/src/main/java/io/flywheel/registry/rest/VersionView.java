package io.flywheel.registry.rest;

import io.flywheel.registry.CodeRef;
import io.flywheel.registry.Endpoint;
import io.flywheel.registry.Lineage;
import io.flywheel.registry.ModelVersion;
import io.flywheel.registry.Signature;
import io.flywheel.registry.onnx.OnnxSummary;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A model version as the API shows it (registry-service/README.md). */
public record VersionView(String model, int version, String status, String description, String framework, String format,
                          Signature signature, OnnxSummary onnx, Endpoint endpoint, Map<String, Double> metrics, Map<String, Object> params,
                          Map<String, String> tags, Lineage lineage, Artifact artifact, String createdBy,
                          Instant createdAt, Instant updatedAt, Instant finalisedAt) {

    /** The stored artifact: null while the version is a draft. */
    public record Artifact(String sha256, long sizeBytes, String contentType) {
    }

    static VersionView of(ModelVersion v) {
        Lineage lineage = new Lineage(List.copyOf(v.datasetVersions()),
                v.codeRepository == null ? null : new CodeRef(v.codeRepository, v.codeCommit),
                v.retrainJob, v.parentVersion);
        Artifact artifact = v.artifactSha256 == null ? null : new Artifact(v.artifactSha256, v.artifactSize, v.artifactContentType);
        return new VersionView(v.model, v.version, v.status, v.description, v.framework, v.format, v.signature, v.onnx, v.endpoint, v.metrics,
                v.params, v.tags, lineage, artifact, v.createdBy, v.createdAt, v.updatedAt, v.finalisedAt);
    }
}
