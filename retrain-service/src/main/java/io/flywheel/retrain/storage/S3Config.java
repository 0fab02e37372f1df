package io.flywheel.retrain.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the S3-compatible store is (S3Proxy locally, MinIO or AWS elsewhere). */
@ConfigMapping(prefix = "flywheel.s3")
public interface S3Config {
    String endpoint();

    String accessKey();

    String secretKey();

    String bucket();

    @WithDefault("us-east-1")
    String region();
}
