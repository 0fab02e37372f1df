package io.flywheel.registry.service;

import io.flywheel.events.ModelVersionRegistered;
import io.flywheel.registry.DatasetVersion;
import io.flywheel.registry.DatasetVersionRef;
import io.flywheel.registry.DatasetVersionRefs;
import io.flywheel.registry.Feature;
import io.flywheel.registry.InvalidRequestException;
import io.flywheel.registry.Lineage;
import io.flywheel.registry.ModelFormat;
import io.flywheel.registry.ModelRejectedException;
import io.flywheel.registry.ModelArchivedException;
import io.flywheel.registry.ModelVersion;
import io.flywheel.registry.NotFoundException;
import io.flywheel.registry.Signature;
import io.flywheel.registry.UnknownLineageException;
import io.flywheel.registry.VersionFinalisedException;
import io.flywheel.registry.VersionMetadata;
import io.flywheel.registry.VersionNotReadyException;
import io.flywheel.registry.onnx.OnnxSignatures;
import io.flywheel.registry.onnx.OnnxSummary;
import io.flywheel.onnx.OnnxGraph;
import io.flywheel.outbox.Outbox;
import io.flywheel.registry.repository.DatasetVersionRepository;
import io.flywheel.registry.repository.ModelRepository;
import io.flywheel.registry.repository.ModelVersionRepository;
import io.flywheel.registry.storage.StoredBlob;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Model versions: drafts with metadata, finalised (immutable) once their artifact is stored. */
@ApplicationScoped
public class VersionService {

    private final ModelRepository models;
    private final ModelVersionRepository versions;
    private final DatasetVersionRepository datasetVersions;
    private final Outbox outbox;

    public VersionService(ModelRepository models, ModelVersionRepository versions,
                          DatasetVersionRepository datasetVersions, Outbox outbox) {
        this.models = models;
        this.versions = versions;
        this.datasetVersions = datasetVersions;
        this.outbox = outbox;
    }

    /** A registered draft, and whether it was registered earlier under the same Idempotency-Key. */
    public record Registration(ModelVersion version, boolean replayed) {
    }

    /**
     * Registers a draft with the next number. The model's row is locked for the transaction, so
     * concurrent registrations of one model are numbered one after the other, never twice the same.
     */
    @WithTransaction
    public Uni<Registration> create(String model, VersionMetadata metadata, String idempotencyKey, String actor) {
        Lineage lineage = metadata.lineage() == null ? Lineage.NONE : metadata.lineage();
        checkMetadata(metadata.signature(), metadata.metrics());
        String format = ModelFormat.normalise(metadata.format());
        checkEndpoint(format, metadata);
        return models.lock(model)
                .onItem().ifNull().failWith(() -> new NotFoundException("model", model))
                .invoke(locked -> {
                    if (locked.archived) {
                        throw new ModelArchivedException(model);
                    }
                })
                .chain(() -> idempotencyKey == null ? Uni.createFrom().nullItem() : versions.findByIdempotencyKey(model, idempotencyKey))
                .chain(earlier -> earlier != null
                        ? Uni.createFrom().item(new Registration(earlier, true))
                        : checkLineage(model, lineage)
                        .chain(() -> versions.nextNumber(model))
                        .chain(number -> {
                            Instant now = ModelService.now();
                            ModelVersion draft = new ModelVersion();
                            draft.model = model;
                            draft.version = number;
                            draft.status = ModelVersion.DRAFT;
                            draft.description = metadata.description() == null ? "" : metadata.description();
                            draft.framework = metadata.framework();
                            draft.format = format;
                            draft.signature = metadata.signature();
                            draft.endpoint = metadata.endpoint();
                            draft.metrics = new HashMap<>(metadata.metrics() == null ? Map.of() : metadata.metrics());
                            draft.params = new HashMap<>(metadata.params() == null ? Map.of() : metadata.params());
                            draft.tags = new HashMap<>(metadata.tags() == null ? Map.of() : metadata.tags());
                            applyLineage(draft, lineage);
                            draft.idempotencyKey = idempotencyKey;
                            draft.createdBy = actor;
                            draft.createdAt = now;
                            draft.updatedAt = now;
                            if (!draft.isExternal()) {
                                return versions.persist(draft).map(saved -> new Registration(saved, false));
                            }
                            // nothing to upload: ready (and announced) at once
                            draft.finaliseExternal(now);
                            return versions.persist(draft).call(this::announce).map(saved -> new Registration(saved, false));
                        }));
    }

    /** An endpoint comes with format external, and only with it. */
    private static void checkEndpoint(String format, VersionMetadata metadata) {
        if (ModelFormat.EXTERNAL.equals(format)) {
            if (metadata.endpoint() == null) {
                throw new InvalidRequestException("format external needs an endpoint: {\"url\": \"https://...\"}"
                        + " (the base URL of an Open Inference Protocol v2 model), with an optional"
                        + " \"auth\": {\"header\", \"secret_ref\"}");
            }
            metadata.endpoint().checkUrl();
        } else if (metadata.endpoint() != null) {
            throw new InvalidRequestException("endpoint is only for format external; this version's format is " + format);
        }
    }

    @WithSession
    public Uni<ModelVersion> get(String model, int version) {
        return existing(model, version);
    }

    /** Newest first below {@code before}, plus one more to tell whether a next page exists. */
    @WithSession
    public Uni<List<ModelVersion>> page(String model, String status, Integer before, int limit) {
        return models.findById(model)
                .onItem().ifNull().failWith(() -> new NotFoundException("model", model))
                .chain(() -> versions.page(model, status, before, limit + 1));
    }

    /**
     * Changes a version. Description and tags (merged: null removes a key) may always change; the
     * rest only while it is a draft: a finalised version refuses them (409) and stays as it was.
     */
    @WithTransaction
    public Uni<ModelVersion> update(String model, int version, VersionChanges changes) {
        checkMetadata(changes.signature(), changes.metrics());
        String format = changes.format() == null ? null : ModelFormat.normalise(changes.format());
        if (ModelFormat.EXTERNAL.equals(format)) {
            throw new InvalidRequestException("a draft can't become external; register an external version with"
                    + " POST /api/v1/models/" + model + "/versions, its format and its endpoint");
        }
        return versions.lock(model, version)
                .onItem().ifNull().failWith(() -> new NotFoundException("model version", model + "/" + version))
                .call(current -> {
                    List<String> frozen = changes.immutableFieldsGiven();
                    if (current.isReady() && !frozen.isEmpty()) {
                        throw new VersionFinalisedException(model, version, String.join(", ", frozen));
                    }
                    return changes.lineage() == null ? Uni.createFrom().voidItem() : checkLineage(model, changes.lineage())
                            .invoke(() -> {
                                if (changes.lineage().parentVersion() != null && changes.lineage().parentVersion() >= version) {
                                    throw new UnknownLineageException("lineage.parent_version must be an earlier version than " + version);
                                }
                            });
                })
                .invoke(current -> {
                    if (changes.description() != null) {
                        current.description = changes.description();
                    }
                    if (changes.tags() != null) {
                        current.tags = Tags.merge(current.tags, changes.tags());
                    }
                    if (changes.framework() != null) {
                        current.framework = changes.framework();
                    }
                    if (format != null) {
                        current.format = format;
                    }
                    if (changes.signature() != null) {
                        current.signature = changes.signature();
                    }
                    if (changes.metrics() != null) {
                        current.metrics = new HashMap<>(changes.metrics());
                    }
                    if (changes.params() != null) {
                        current.params = new HashMap<>(changes.params());
                    }
                    if (changes.lineage() != null) {
                        applyLineage(current, changes.lineage());
                    }
                    current.updatedAt = ModelService.now();
                });
    }

    /** What PATCH may carry; null leaves a field as it is. */
    public record VersionChanges(String description, Map<String, String> tags, String framework, String format,
                                 Signature signature, Map<String, Double> metrics, Map<String, Object> params,
                                 Lineage lineage) {
        List<String> immutableFieldsGiven() {
            List<String> given = new ArrayList<>();
            if (framework != null) given.add("framework");
            if (format != null) given.add("format");
            if (signature != null) given.add("signature");
            if (metrics != null) given.add("metrics");
            if (params != null) given.add("params");
            if (lineage != null) given.add("lineage");
            return given;
        }
    }

    /** The draft an artifact may be uploaded to: 404 if there is none, 409 once it is finalised. */
    @WithSession
    public Uni<ModelVersion> requireDraft(String model, int version) {
        return existing(model, version).invoke(found -> {
            if (found.isExternal()) {
                throw VersionFinalisedException.external(model, version);
            }
            if (found.isReady()) {
                throw new VersionFinalisedException(model, version, "artifact");
            }
        });
    }

    /** A finalised version (its artifact can be read): 404 if there is none, 409 while it is a draft. */
    @WithSession
    public Uni<ModelVersion> requireReady(String model, int version) {
        return existing(model, version).invoke(found -> {
            if (found.isExternal()) {
                throw new NotFoundException("model version " + model + "/" + version + " is external: it has no artifact"
                        + " (it is served at its endpoint, " + found.endpoint.url() + ")");
            }
            if (!found.isReady()) {
                throw new VersionNotReadyException(model, version);
            }
        });
    }

    /**
     * Points the draft at its stored artifact and makes it immutable; announces it in the same
     * transaction. A version finalised meanwhile by another upload is a 409 (the blob, being
     * content-addressed, is harmless). For an ONNX upload, {@code graph} is what the upload read:
     * stored as the version's {@code onnx}, and its signature filled or checked again against the
     * draft as it is now (a PATCH may have changed it during the upload).
     */
    @WithTransaction
    public Uni<ModelVersion> finalise(String model, int version, StoredBlob blob, String contentType, OnnxGraph graph) {
        return versions.lock(model, version)
                .onItem().ifNull().failWith(() -> new NotFoundException("model version", model + "/" + version))
                .invoke(draft -> {
                    if (draft.isReady()) {
                        throw new VersionFinalisedException(model, version, "artifact");
                    }
                    boolean onnx = ModelFormat.ONNX.equals(draft.format);
                    if (onnx != (graph != null)) {
                        throw new ModelRejectedException("the version's format changed to " + draft.format
                                + " while the artifact was uploaded; upload it again");
                    }
                    if (onnx) {
                        draft.signature = OnnxSignatures.fit(graph, draft.signature);
                        draft.onnx = OnnxSummary.of(graph);
                    }
                    draft.finalise(blob.sha256(), blob.size(), contentType, ModelService.now());
                })
                .call(this::announce);
    }

    /** Whether any model or dataset version points at this blob. */
    @WithSession
    public Uni<Boolean> blobReferenced(String sha256) {
        return versions.blobReferenced(sha256);
    }

    private Uni<Void> announce(ModelVersion ready) {
        return outbox.add(ready.model, ModelVersionRegistered.TYPE, ModelVersionRegistered.of(
                ready.model, ready.version, ready.framework, ready.format, ready.metrics,
                ready.datasetVersions().stream()
                        .map(ref -> new ModelVersionRegistered.DatasetVersionRef(ref.dataset(), ref.id()))
                        .toList(),
                ready.artifactSha256, ready.parentVersion, ready.retrainJob, ready.finalisedAt));
    }

    /** What a version's lineage graph is built from. */
    public record LineageFacts(List<ModelVersion> selfAndAncestors, List<ModelVersion> derived,
                               Map<DatasetVersionRef, DatasetVersion> datasets) {
    }

    @WithSession
    public Uni<LineageFacts> lineage(String model, int version) {
        return versions.withAncestors(model, version)
                .invoke(chain -> {
                    if (chain.isEmpty()) {
                        throw new NotFoundException("model version", model + "/" + version);
                    }
                })
                .chain(chain -> versions.descendants(model, version).chain(derived -> {
                    Set<DatasetVersionRef> refs = new LinkedHashSet<>();
                    chain.forEach(v -> refs.addAll(v.datasetVersions()));
                    return datasetVersions.findAll(List.copyOf(refs)).map(found -> {
                        Map<DatasetVersionRef, DatasetVersion> byRef = new HashMap<>();
                        found.forEach(d -> byRef.put(new DatasetVersionRef(d.dataset, d.id), d));
                        return new LineageFacts(chain, derived, byRef);
                    });
                }));
    }

    /** Model versions (of any model) trained on a dataset version, newest first. */
    @WithSession
    public Uni<List<ModelVersion>> trainedOn(DatasetVersionRef dataset, int limit) {
        return versions.trainedOn(dataset, limit);
    }

    private Uni<ModelVersion> existing(String model, int version) {
        return versions.byKey(model, version)
                .chain(found -> found != null ? Uni.createFrom().item(found)
                        : models.findById(model).map(m -> {
                            throw m == null ? new NotFoundException("model", model)
                                    : new NotFoundException("model version", model + "/" + version);
                        }));
    }

    /** Lineage must name what the registry holds: registered dataset versions and an existing parent. */
    private Uni<Void> checkLineage(String model, Lineage lineage) {
        List<DatasetVersionRef> refs = lineage.datasetVersionsOrEmpty();
        Uni<Void> parent = lineage.parentVersion() == null ? Uni.createFrom().voidItem()
                : versions.byKey(model, lineage.parentVersion()).invoke(found -> {
                    if (found == null) {
                        throw new UnknownLineageException("lineage.parent_version " + lineage.parentVersion()
                                + " is not a version of model '" + model + "'");
                    }
                }).replaceWithVoid();
        return parent.chain(() -> datasetVersions.findAll(refs)).invoke(found -> {
            Set<DatasetVersionRef> known = new HashSet<>();
            found.forEach(d -> known.add(new DatasetVersionRef(d.dataset, d.id)));
            for (int i = 0; i < refs.size(); i++) {
                if (!known.contains(refs.get(i))) {
                    throw new UnknownLineageException("lineage.dataset_versions[" + i + "]: dataset '" + refs.get(i).dataset()
                            + "' has no version " + refs.get(i).id() + "; register it with PUT /api/v1/datasets/"
                            + refs.get(i).dataset() + "/versions first");
                }
            }
        }).replaceWithVoid();
    }

    private static void applyLineage(ModelVersion target, Lineage lineage) {
        target.trainedOn = new DatasetVersionRefs(List.copyOf(new LinkedHashSet<>(lineage.datasetVersionsOrEmpty())));
        target.codeRepository = lineage.code() == null ? null : lineage.code().repository();
        target.codeCommit = lineage.code() == null ? null : lineage.code().commit().toLowerCase(Locale.ROOT);
        target.retrainJob = lineage.retrainJob();
        target.parentVersion = lineage.parentVersion();
    }

    /** What Bean Validation can't say: no duplicate feature names, every metric has a value. */
    private static void checkMetadata(Signature signature, Map<String, Double> metrics) {
        if (signature != null) {
            Set<String> names = new HashSet<>();
            for (Feature input : signature.inputs()) {
                if (!names.add(input.name())) {
                    throw new InvalidRequestException("signature.inputs names feature '" + input.name() + "' twice");
                }
            }
        }
        if (metrics != null) {
            metrics.forEach((name, value) -> {
                if (value == null) {
                    throw new InvalidRequestException("metric '" + name + "' has no value; give a number or leave it out");
                }
                if (name.isBlank() || name.length() > 128) {
                    throw new InvalidRequestException("metric names must have 1 to 128 characters");
                }
            });
        }
    }
}
