package io.flywheel.retrain.storage;

import io.flywheel.retrain.runner.JobStaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kubernetes runner's staging in retrain's own bucket: the training set goes up, the trainer's
 * outputs come down. Blocking (it waits on the store's worker pool); runners call it from their own threads.
 */
public class S3JobStaging implements JobStaging {

    private final ObjectStore store;

    public S3JobStaging(ObjectStore store) {
        this.store = store;
    }

    @Override
    public String upload(Path file, String key) {
        store.upload(key, file, "application/x-ndjson").await().indefinitely();
        return uri(key);
    }

    @Override
    public String uri(String key) {
        return "s3://" + store.bucket() + "/" + key;
    }

    @Override
    public void download(String prefix, Path directory) {
        try {
            Files.createDirectories(directory);
            for (ObjectStore.StoredObject object : store.list(prefix, null, null).await().indefinitely()) {
                Path target = directory.resolve(object.key().substring(prefix.length())).normalize();
                if (!target.startsWith(directory)) {
                    throw new IllegalArgumentException("the trainer wrote an object outside its output prefix: " + object.key());
                }
                Files.createDirectories(target.getParent());
                Files.write(target, store.read(object.key()).await().indefinitely());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void delete(String prefix) {
        for (ObjectStore.StoredObject object : store.list(prefix, null, null).await().indefinitely()) {
            store.delete(object.key()).await().indefinitely();
        }
    }
}
