package io.flywheel.registry.service;

import io.flywheel.events.DatasetVersionRegistered;
import io.flywheel.registry.AlreadyExistsException;
import io.flywheel.registry.Dataset;
import io.flywheel.registry.DatasetSchema;
import io.flywheel.registry.DatasetVersion;
import io.flywheel.registry.NotFoundException;
import io.flywheel.registry.dataset.DatasetProfile;
import io.flywheel.outbox.Outbox;
import io.flywheel.registry.repository.DatasetRepository;
import io.flywheel.registry.repository.DatasetVersionRepository;
import io.flywheel.registry.storage.StoredBlob;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Datasets and their content-addressed versions. */
@ApplicationScoped
public class DatasetService {

    private final DatasetRepository datasets;
    private final DatasetVersionRepository versions;
    private final Outbox outbox;

    public DatasetService(DatasetRepository datasets, DatasetVersionRepository versions, Outbox outbox) {
        this.datasets = datasets;
        this.versions = versions;
        this.outbox = outbox;
    }

    @WithTransaction
    public Uni<Dataset> create(String name, String description, Map<String, String> tags) {
        return datasets.findById(name)
                .onItem().ifNotNull().failWith(() -> new AlreadyExistsException("dataset", name))
                .chain(() -> datasets.persist(Dataset.create(name, description, tags, ModelService.now())));
    }

    @WithSession
    public Uni<Dataset> get(String name) {
        return datasets.findById(name).onItem().ifNull().failWith(() -> new NotFoundException("dataset", name));
    }

    @WithSession
    public Uni<List<Dataset>> page(String namePrefix, String after, int limit) {
        return datasets.page(namePrefix, after, limit + 1);
    }

    /** A registered version, and whether it was registered now or existed already (same content). */
    public record Registration(DatasetVersion version, boolean created) {
    }

    /**
     * Records a version for stored content. The dataset's row is locked, so the same content
     * uploaded twice at once still makes one version; the second upload gets the first's.
     */
    @WithTransaction
    public Uni<Registration> register(String dataset, StoredBlob blob, String format, String contentType,
                                      DatasetProfile profile, String actor) {
        return datasets.lock(dataset)
                .onItem().ifNull().failWith(() -> new NotFoundException("dataset", dataset))
                .chain(() -> versions.byKey(dataset, blob.sha256()))
                .chain(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().item(new Registration(existing, false));
                    }
                    Instant now = ModelService.now();
                    DatasetVersion version = new DatasetVersion();
                    version.dataset = dataset;
                    version.id = blob.sha256();
                    version.format = format;
                    version.contentType = contentType;
                    version.rowCount = profile.rows();
                    version.sizeBytes = blob.size();
                    version.schema = new DatasetSchema(profile.columns());
                    version.createdBy = actor;
                    version.createdAt = now;
                    return versions.persist(version)
                            .call(() -> outbox.add(dataset, DatasetVersionRegistered.TYPE, DatasetVersionRegistered.of(
                                    dataset, version.id, format, version.rowCount, version.sizeBytes, now)))
                            .map(saved -> new Registration(saved, true));
                });
    }

    @WithSession
    public Uni<DatasetVersion> version(String dataset, String id) {
        return versions.byKey(dataset, id)
                .chain(found -> found != null ? Uni.createFrom().item(found)
                        : datasets.findById(dataset).map(d -> {
                            throw d == null ? new NotFoundException("dataset", dataset)
                                    : new NotFoundException("dataset version", dataset + "/" + id);
                        }));
    }

    /** Newest first after the given (registered at, id) position, plus one to tell whether a next page exists. */
    @WithSession
    public Uni<List<DatasetVersion>> versions(String dataset, Instant beforeAt, String beforeId, int limit) {
        return get(dataset).chain(() -> versions.page(dataset, beforeAt, beforeId, limit + 1));
    }
}
