package io.flywheel.retrain.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Retraining's S3 bucket (labelled data, training sets), through the MinIO client. The client blocks, so every call runs on
 * the worker pool and comes back as a {@link Uni}: the event loop never waits on S3.
 */
@ApplicationScoped
@Startup // the MinIO client's construction reads jars: at boot on the main thread, not lazily on an event loop
public class ObjectStore {

    /** One object of a listing. */
    public record StoredObject(String key, long size, Instant lastModified) {
    }

    private final MinioClient client;
    private final String bucket;

    public ObjectStore(S3Config config) {
        this.client = MinioClient.builder()
                .endpoint(config.endpoint())
                .credentials(config.accessKey(), config.secretKey())
                .region(config.region())
                .build();
        this.bucket = config.bucket();
    }

    public String bucket() {
        return bucket;
    }

    public Uni<Boolean> bucketExists() {
        return blocking(() -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
    }

    /**
     * The objects under {@code prefix} whose keys sort after {@code startAfter} (null: from the
     * first), in key order, until {@code stopAt} (a key prefix; keys sorting after it end the listing).
     */
    public Uni<List<StoredObject>> list(String prefix, String startAfter, String stopAt) {
        return blocking(() -> {
            ListObjectsArgs.Builder args = ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true);
            if (startAfter != null) {
                args.startAfter(startAfter);
            }
            List<StoredObject> objects = new ArrayList<>();
            for (Result<Item> result : client.listObjects(args.build())) {
                Item item = result.get();
                if (item.isDir()) {
                    continue;
                }
                if (stopAt != null && item.objectName().compareTo(stopAt) > 0 && !item.objectName().startsWith(stopAt)) {
                    break;
                }
                objects.add(new StoredObject(item.objectName(), item.size(),
                        item.lastModified() == null ? null : item.lastModified().toInstant()));
            }
            return objects;
        });
    }

    public Uni<byte[]> read(String key) {
        return blocking(() -> {
            try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
                return in.readAllBytes();
            }
        });
    }

    public Uni<Void> put(String key, byte[] bytes, String contentType) {
        return blocking(() -> {
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                    .stream(new ByteArrayInputStream(bytes), (long) bytes.length, -1L)
                    .contentType(contentType).build());
            return null;
        });
    }

    /** Uploads a file as it is (streamed, however large). */
    public Uni<Void> upload(String key, Path file, String contentType) {
        return blocking(() -> {
            client.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key).filename(file.toString())
                    .contentType(contentType).build());
            return null;
        });
    }

    public Uni<Void> delete(String key) {
        return blocking(() -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
            return null;
        });
    }

    private static <T> Uni<T> blocking(Callable<T> call) {
        return Uni.createFrom().item(() -> {
            try {
                return call.call();
            } catch (Exception e) {
                throw new StorageUnavailableException(e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
