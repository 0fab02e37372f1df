package io.flywheel.registry;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import io.flywheel.registry.onnx.OnnxSummary;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.io.Serializable;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One numbered version of a model. It starts as a draft (metadata only); storing its artifact
 * finalises it, and from then on only its description and tags may change (the database enforces
 * it too). An external version has no artifact: it is ready as soon as it is registered.
 */
@Entity
@Table(name = "model_version")
@IdClass(ModelVersion.Key.class)
public class ModelVersion {

    public static final String DRAFT = "draft";
    public static final String READY = "ready";

    @Id
    public String model;

    @Id
    public int version;

    public String status;

    public String description;

    public String framework;

    public String format;

    @JdbcTypeCode(SqlTypes.JSON)
    public Signature signature;

    /** An ONNX version's graph as read on upload; null for other formats and for drafts. */
    @JdbcTypeCode(SqlTypes.JSON)
    public OnnxSummary onnx;

    /** An external version's endpoint; null for other formats. */
    @JdbcTypeCode(SqlTypes.JSON)
    public Endpoint endpoint;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Double> metrics = new HashMap<>();

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> params = new HashMap<>();

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> tags = new HashMap<>();

    /** Lineage: the dataset versions it was trained on (wrapped: Hibernate Reactive maps jsonb to objects only). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "dataset_versions")
    public DatasetVersionRefs trainedOn = new DatasetVersionRefs(List.of());

    public String codeRepository;

    public String codeCommit;

    public String retrainJob;

    public Integer parentVersion;

    public String artifactSha256;

    public Long artifactSize;

    public String artifactContentType;

    public String idempotencyKey;

    public String createdBy;

    public Instant createdAt;

    public Instant updatedAt;

    public Instant finalisedAt;

    @Version
    public long revision;

    public List<DatasetVersionRef> datasetVersions() {
        return trainedOn == null || trainedOn.refs() == null ? List.of() : trainedOn.refs();
    }

    public boolean isReady() {
        return READY.equals(status);
    }

    /** Records the stored artifact and makes the version immutable. */
    public void finalise(String sha256, long size, String contentType, Instant now) {
        artifactSha256 = sha256;
        artifactSize = size;
        artifactContentType = contentType;
        status = READY;
        finalisedAt = now;
        updatedAt = now;
    }

    /** Ready without an artifact: an external version, served at its endpoint. */
    public void finaliseExternal(Instant now) {
        status = READY;
        finalisedAt = now;
        updatedAt = now;
    }

    /** Served at its endpoint (a legacy row that called its artifact's format "external" has none: not this). */
    public boolean isExternal() {
        return ModelFormat.EXTERNAL.equals(format) && endpoint != null;
    }

    /** The composite key: model name and version number. */
    public static class Key implements Serializable {
        public String model;
        public int version;

        public Key() {
        }

        public Key(String model, int version) {
            this.model = model;
            this.version = version;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.version == version && key.model.equals(model);
        }

        @Override
        public int hashCode() {
            return model.hashCode() * 31 + version;
        }
    }
}
