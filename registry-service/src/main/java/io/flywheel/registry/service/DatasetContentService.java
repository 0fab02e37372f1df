package io.flywheel.registry.service;

import io.flywheel.registry.DatasetVersion;
import io.flywheel.registry.config.RegistryConfig;
import io.flywheel.registry.dataset.DatasetInspector;
import io.flywheel.registry.storage.BlobStore;
import io.flywheel.registry.storage.ContentDigest;
import io.flywheel.registry.storage.ObjectStore;
import io.flywheel.registry.storage.StoredBlob;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.InputStream;

import static io.flywheel.registry.service.VertxAwait.await;

/**
 * A dataset version's bytes: registered from a streamed CSV or JSON Lines body, and read back.
 * Blocking: run it on a worker thread. The body is parsed while it streams to S3, so a malformed line aborts the upload before
 * anything is stored, and rows, schema, size and SHA-256 all come from the full content.
 */
@ApplicationScoped
public class DatasetContentService {

    private final DatasetService datasets;
    private final BlobStore blobs;
    private final ObjectStore store;
    private final RegistryConfig.Datasets limits;

    public DatasetContentService(DatasetService datasets, BlobStore blobs, ObjectStore store, RegistryConfig config) {
        this.datasets = datasets;
        this.blobs = blobs;
        this.store = store;
        this.limits = config.datasets();
    }

    public DatasetService.Registration upload(String dataset, String format, String contentType, InputStream body,
                                              String digestHeader, String actor) {
        String expected = ContentDigest.sha256Hex(digestHeader);
        await(() -> datasets.get(dataset)); // 404 before any byte is read
        DatasetInspector inspector = DatasetInspector.forFormat(format, limits.maxLineBytes(), limits.maxColumns());
        StoredBlob blob = blobs.store(body, expected, inspector);
        return await(() -> datasets.register(dataset, blob, format, contentType, inspector.profile(), actor));
    }

    public DatasetVersion readable(String dataset, String id) {
        return await(() -> datasets.version(dataset, id));
    }

    public InputStream open(DatasetVersion version, long offset, long length) {
        return store.open(BlobStore.key(version.id), offset, length).await().indefinitely();
    }
}
