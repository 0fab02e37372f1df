package io.flywheel.registry.service;

import io.flywheel.registry.InvalidRequestException;
import io.flywheel.registry.ModelVersion;
import io.flywheel.registry.config.RegistryConfig;
import io.flywheel.registry.storage.BlobStore;
import io.flywheel.registry.storage.ContentDigest;
import io.flywheel.registry.storage.ContentInspector;
import io.flywheel.registry.storage.ObjectStore;
import io.flywheel.registry.storage.StoredBlob;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;

import static io.flywheel.registry.service.VertxAwait.await;

/**
 * Model artifacts: streamed into content-addressed storage to finalise a draft, streamed back,
 * or handed out as presigned URLs. Blocking: run it on a worker thread.
 */
@ApplicationScoped
public class ArtifactService {

    private final VersionService versions;
    private final BlobStore blobs;
    private final ObjectStore store;
    private final RegistryConfig.Presign presign;

    public ArtifactService(VersionService versions, BlobStore blobs, ObjectStore store, RegistryConfig config) {
        this.versions = versions;
        this.blobs = blobs;
        this.store = store;
        this.presign = config.presign();
    }

    /**
     * Stores the body as the draft's artifact and finalises the version. Checked before any byte
     * is read: the draft exists and is not finalised. A Digest that does not match, a failure of S3
     * or of the database leaves the version a draft.
     */
    public ModelVersion upload(String model, int version, InputStream body, String contentType, String digestHeader) {
        String expected = ContentDigest.sha256Hex(digestHeader);
        await(() -> versions.requireDraft(model, version));
        StoredBlob blob = blobs.store(body, expected, new NonEmpty());
        return await(() -> versions.finalise(model, version, blob, contentType));
    }

    /** The ready version whose artifact is to be read (409 while it is a draft). */
    public ModelVersion readable(String model, int version) {
        return await(() -> versions.requireReady(model, version));
    }

    public InputStream open(ModelVersion version, long offset, long length) {
        return store.open(BlobStore.key(version.artifactSha256), offset, length).await().indefinitely();
    }

    /** A URL to GET the artifact straight from S3 until it expires. */
    public PresignedUrl presign(ModelVersion version, Duration requested) {
        Duration expiry = requested == null ? presign.defaultExpiry() : requested;
        if (expiry.isNegative() || expiry.isZero() || expiry.compareTo(presign.maxExpiry()) > 0) {
            throw new InvalidRequestException("expires_in must be between 1 and " + presign.maxExpiry().toSeconds() + " seconds");
        }
        Instant expiresAt = Instant.now().plus(expiry);
        String url = store.presignedGet(BlobStore.key(version.artifactSha256), expiry, version.artifactContentType)
                .await().indefinitely();
        return new PresignedUrl(url, expiresAt);
    }

    public record PresignedUrl(String url, Instant expiresAt) {
    }

    /** An artifact of zero bytes is a client that forgot the body, not a model. */
    private static final class NonEmpty implements ContentInspector {
        private boolean seen;

        @Override
        public void update(byte[] bytes, int offset, int length) {
            seen |= length > 0;
        }

        @Override
        public void finish() {
            if (!seen) {
                throw new InvalidRequestException("the artifact body is empty; send the model's bytes");
            }
        }
    }
}
