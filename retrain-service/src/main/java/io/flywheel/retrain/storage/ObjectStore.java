package io.flywheel.retrain.storage;

import io.minio.BucketExistsArgs;
import io.minio.MinioClient;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.Callable;

/**
 * Retraining's S3 bucket (labelled data, training sets), through the MinIO client. The client blocks, so every call runs on
 * the worker pool and comes back as a {@link Uni}: the event loop never waits on S3.
 */
@ApplicationScoped
public class ObjectStore {

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
