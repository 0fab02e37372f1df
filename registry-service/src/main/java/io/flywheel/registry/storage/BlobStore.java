package io.flywheel.registry.storage;

import io.flywheel.registry.BusyException;
import io.flywheel.registry.UploadInterruptedException;
import io.flywheel.registry.config.RegistryConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Content-addressed storage: bytes live at {@code blobs/sha256/<hex>}, so the same bytes are stored
 * once however often they are uploaded. Uploads stream through in bounded memory while they are
 * hashed. Blocking: call it from a worker thread (it waits on {@link ObjectStore}).
 *
 * <p>Two ways in. With the expected SHA-256 known up front (a {@code Digest} header), the bytes go
 * straight to their final key as a multipart upload that is completed only if they hash right (or
 * they are only hashed, when that blob exists already). Without it, they go to a temporary key,
 * which is copied inside S3 to the final key once the hash is known and then deleted. Either way a
 * refused upload leaves no object behind.
 */
@ApplicationScoped
public class BlobStore {

    private static final String BLOBS = "blobs/sha256/";
    private static final String UPLOADS = "uploads/";

    private final ObjectStore store;
    private final RegistryConfig.Uploads config;
    private final Semaphore slots;

    public BlobStore(ObjectStore store, RegistryConfig config) {
        this.store = store;
        this.config = config.uploads();
        this.slots = new Semaphore(this.config.maxConcurrent(), true);
    }

    public static String key(String sha256Hex) {
        return BLOBS + sha256Hex;
    }

    /**
     * Stores {@code body} and returns where it went. Throws the {@code RegistryException} that
     * refused the content (digest mismatch, too large, rejected by the inspector), {@link
     * UploadInterruptedException} when the client stopped sending, or {@link
     * StorageUnavailableException} when S3 failed; in each case nothing is stored.
     */
    public StoredBlob store(InputStream body, String expectedSha256, ContentInspector inspector) {
        acquireSlot();
        try {
            DigestingInputStream content = new DigestingInputStream(body, expectedSha256, config.maxBytes(), inspector);
            return expectedSha256 == null ? viaTemporaryKey(content) : straightToFinalKey(content, expectedSha256);
        } finally {
            slots.release();
        }
    }

    private StoredBlob straightToFinalKey(DigestingInputStream content, String expectedSha256) {
        String key = key(expectedSha256);
        try {
            if (store.size(key).await().indefinitely() != null) {
                content.drain(); // verify, store nothing
                return new StoredBlob(content.sha256Hex(), content.size(), true);
            }
            store.put(key, content, "application/octet-stream", config.partSize(), config.parallelParts())
                    .await().indefinitely();
            return new StoredBlob(content.sha256Hex(), content.size(), false);
        } catch (RuntimeException | IOException e) {
            throw refusalOr(content, e);
        }
    }

    private StoredBlob viaTemporaryKey(DigestingInputStream content) {
        String temporary = UPLOADS + UUID.randomUUID();
        boolean written = false;
        try {
            store.put(temporary, content, "application/octet-stream", config.partSize(), config.parallelParts())
                    .await().indefinitely();
            written = true;
            String key = key(content.sha256Hex());
            boolean exists = store.size(key).await().indefinitely() != null;
            if (!exists) {
                store.copy(temporary, key).await().indefinitely();
            }
            return new StoredBlob(content.sha256Hex(), content.size(), exists);
        } catch (RuntimeException e) {
            throw refusalOr(content, e);
        } finally {
            if (written) {
                removeQuietly(temporary);
            }
        }
    }

    private RuntimeException refusalOr(DigestingInputStream content, Exception failure) {
        if (content.refusal() != null) {
            return content.refusal();
        }
        if (content.readFailure() != null) {
            return new UploadInterruptedException(content.size());
        }
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        return new StorageUnavailableException(failure);
    }

    private void removeQuietly(String key) {
        try {
            store.remove(key).await().indefinitely();
        } catch (RuntimeException e) {
            // an orphaned temporary object is harmless: it is never referenced, and uploads/ can be expired by a bucket rule
            Log.warnf("could not remove temporary upload %s: %s", key, e.getMessage());
        }
    }

    private void acquireSlot() {
        try {
            if (!slots.tryAcquire(config.slotWait().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new BusyException("all " + config.maxConcurrent() + " upload slots are busy; retry shortly");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusyException("interrupted while waiting for an upload slot; retry");
        }
    }
}
