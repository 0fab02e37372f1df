package io.flywheel.registry.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Where the S3-compatible store is (S3Proxy locally, MinIO or AWS elsewhere). */
@ConfigMapping(prefix = "flywheel.s3")
public interface S3Config {
    String endpoint();

    /** The address clients outside the cluster use; presigned URLs are signed for it. Defaults to endpoint. */
    Optional<String> publicEndpoint();

    String accessKey();

    String secretKey();

    String bucket();

    @WithDefault("us-east-1")
    String region();

    @WithDefault("3s")
    Duration connectTimeout();

    /** Longest pause within one request (a part upload, a download read) before S3 counts as unavailable. */
    @WithDefault("60s")
    Duration ioTimeout();
}
