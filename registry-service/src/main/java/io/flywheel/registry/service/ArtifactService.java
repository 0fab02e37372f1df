package io.flywheel.registry.service;

import io.flywheel.registry.InvalidRequestException;
import io.flywheel.registry.ModelFormat;
import io.flywheel.registry.ModelVersion;
import io.flywheel.registry.RegistryException;
import io.flywheel.registry.onnx.OnnxUploadInspector;
import io.flywheel.registry.config.RegistryConfig;
import io.flywheel.registry.storage.BlobStore;
import io.flywheel.registry.storage.ContentDigest;
import io.flywheel.registry.storage.ContentInspector;
import io.flywheel.registry.storage.ObjectStore;
import io.flywheel.registry.storage.StoredBlob;
import io.quarkus.logging.Log;
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
    private final RegistryConfig.Artifacts downloads;

    public ArtifactService(VersionService versions, BlobStore blobs, ObjectStore store, RegistryConfig config) {
        this.versions = versions;
        this.blobs = blobs;
        this.store = store;
        this.presign = config.presign();
        this.downloads = config.artifacts();
    }

    /**
     * Stores the body as the draft's artifact and finalises the version. Checked before any byte
     * is read: the draft exists and is not finalised (nor external). A Digest that does not match, a
     * failure of S3 or of the database leaves the version a draft. An ONNX version's graph is read
     * while the bytes stream past ({@link OnnxUploadInspector}): a file that is not a servable ONNX
     * model fitting the signature is refused before anything is stored.
     */
    public ModelVersion upload(String model, int version, InputStream body, String contentType, String digestHeader) {
        String expected = ContentDigest.sha256Hex(digestHeader);
        ModelVersion draft = await(() -> versions.requireDraft(model, version));
        if (!ModelFormat.ONNX.equals(draft.format)) {
            StoredBlob blob = blobs.store(body, expected, new NonEmpty());
            return finalise(model, version, blob, contentType, null);
        }
        try (OnnxUploadInspector onnx = new OnnxUploadInspector(draft.signature)) {
            StoredBlob blob = blobs.store(body, expected, onnx);
            return finalise(model, version, blob, contentType, onnx);
        }
    }

    private ModelVersion finalise(String model, int version, StoredBlob blob, String contentType, OnnxUploadInspector onnx) {
        try {
            return await(() -> versions.finalise(model, version, blob, contentType, onnx == null ? null : onnx.graph()));
        } catch (RegistryException refused) {
            // refused after the bytes were stored (the draft changed meanwhile): keep nothing new
            if (!blob.deduplicated()) {
                removeIfUnreferenced(blob.sha256());
            }
            throw refused;
        }
    }

    private void removeIfUnreferenced(String sha256) {
        try {
            if (!await(() -> versions.blobReferenced(sha256))) {
                store.remove(BlobStore.key(sha256)).await().indefinitely();
            }
        } catch (RuntimeException e) {
            // an unreferenced blob is harmless (content-addressed, never served): leave it and say so
            Log.warnf("could not remove unreferenced blob %s: %s", sha256, e.getMessage());
        }
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
        String url = store.presignedGet(BlobStore.key(version.artifactSha256), expiry, version.artifactContentType, null)
                .await().indefinitely();
        return new PresignedUrl(url, expiresAt);
    }

    /** Whether a client's download is handed to S3 unless it says otherwise: the artifact is at least registry.artifacts.redirect-above bytes. */
    public boolean redirectsBySize(ModelVersion version) {
        long above = downloads.redirectAbove();
        return above >= 0 && version.artifactSize >= above;
    }

    /**
     * The presigned URL a download is redirected to (registry.artifacts.redirect-expiry, 5 minutes by
     * default): S3 serves the bytes with the artifact's content type and the given Content-Disposition.
     */
    public String redirectUrl(ModelVersion version, String contentDisposition) {
        Duration expiry = downloads.redirectExpiry().compareTo(presign.maxExpiry()) > 0 ? presign.maxExpiry() : downloads.redirectExpiry();
        return store.presignedGet(BlobStore.key(version.artifactSha256), expiry, version.artifactContentType, contentDisposition)
                .await().indefinitely();
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
