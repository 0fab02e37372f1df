package io.flywheel.registry.storage;

/** Content stored at {@code blobs/sha256/<sha256>}; {@code deduplicated} when those bytes were there already. */
public record StoredBlob(String sha256, long size, boolean deduplicated) {

    public String key() {
        return BlobStore.key(sha256);
    }
}
