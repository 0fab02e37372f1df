package io.flywheel.registry.storage;

import io.minio.BucketExistsArgs;
import io.minio.CopyObjectArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.SourceObject;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The registry's S3 bucket, through the MinIO client. The client blocks, so every call runs on
 * the worker pool and comes back as a {@link Uni}: the event loop never waits on S3.
 */
@ApplicationScoped
public class ObjectStore {

    private final MinioClient client;
    private final MinioClient presigner;
    private final String bucket;

    public ObjectStore(S3Config config) {
        this.client = client(config.endpoint(), config);
        // signing needs no network call once the region is known, so this client never connects
        this.presigner = config.publicEndpoint().map(endpoint -> client(endpoint, config)).orElse(client);
        this.bucket = config.bucket();
    }

    private static MinioClient client(String endpoint, S3Config config) {
        MinioClient client = MinioClient.builder()
                .endpoint(endpoint)
                .credentials(config.accessKey(), config.secretKey())
                .region(config.region())
                .build();
        long io = config.ioTimeout().toMillis();
        client.setTimeout(config.connectTimeout().toMillis(), io, io);
        return client;
    }

    public String bucket() {
        return bucket;
    }

    public Uni<Boolean> bucketExists() {
        return blocking(() -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
    }

    /**
     * Streams {@code content} of unknown length to {@code key} as a multipart upload: at most about
     * {@code (2 * parallelParts + 1) * partSize} bytes are held in memory, whatever the size. If
     * reading {@code content} fails, the multipart upload is aborted and no object appears.
     */
    public Uni<Void> put(String key, InputStream content, String contentType, long partSize, int parallelParts) {
        return blocking(() -> client.putObject(PutObjectArgs.builder()
                .bucket(bucket)
                .object(key)
                .stream(content, -1L, partSize)
                .parallelUploads(parallelParts)
                .contentType(contentType)
                .build())).replaceWithVoid();
    }

    /** The object's size, or null when there is no such object. */
    public Uni<Long> size(String key) {
        return blocking(() -> {
            try {
                return client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()).size();
            } catch (ErrorResponseException e) {
                if (isMissing(e)) {
                    return null;
                }
                throw e;
            }
        });
    }

    /** Server-side copy: the bytes don't pass through the registry (objects over 5 GiB are composed in parts). */
    public Uni<Void> copy(String fromKey, String toKey) {
        return blocking(() -> client.copyObject(CopyObjectArgs.builder()
                .bucket(bucket)
                .object(toKey)
                .source(SourceObject.builder().bucket(bucket).object(fromKey).build())
                .build())).replaceWithVoid();
    }

    public Uni<Void> remove(String key) {
        return blocking(() -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
            return null;
        });
    }

    /** Opens {@code length} bytes from {@code offset}; the caller streams and closes the result. */
    public Uni<InputStream> open(String key, long offset, long length) {
        return blocking(() -> client.getObject(GetObjectArgs.builder()
                .bucket(bucket)
                .object(key)
                .offset(offset)
                .length(length)
                .build()));
    }

    /**
     * A URL that lets anyone holding it GET the object until it expires, served with the given content
     * type and, when {@code contentDisposition} is not null, that Content-Disposition (S3 sets both
     * from the signed query, so they can't be changed without breaking the signature).
     */
    public Uni<String> presignedGet(String key, Duration expiry, String contentType, String contentDisposition) {
        Map<String, String> response = contentDisposition == null
                ? Map.of("response-content-type", contentType)
                : Map.of("response-content-type", contentType, "response-content-disposition", contentDisposition);
        return blocking(() -> presigner.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                .method(Http.Method.GET)
                .bucket(bucket)
                .object(key)
                .expiry((int) expiry.toSeconds())
                .extraQueryParams(response)
                .build()));
    }

    private static boolean isMissing(ErrorResponseException e) {
        String code = e.errorResponse().code();
        return "NoSuchKey".equals(code) || "NoSuchObject".equals(code) || "NotFound".equals(code);
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
