package io.flywheel.registry;

import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import org.eclipse.microprofile.config.ConfigProvider;

/** Looks into the test bucket directly, to check what the registry did or did not store there. */
public final class TestS3 {

    private TestS3() {
    }

    private static MinioClient client() {
        var config = ConfigProvider.getConfig();
        return MinioClient.builder()
                .endpoint(config.getValue("flywheel.s3.endpoint", String.class))
                .credentials(config.getValue("flywheel.s3.access-key", String.class), config.getValue("flywheel.s3.secret-key", String.class))
                .region("us-east-1")
                .build();
    }

    private static String bucket() {
        return ConfigProvider.getConfig().getValue("flywheel.s3.bucket", String.class);
    }

    /** The object's metadata, or null when there is no such object. */
    public static StatObjectResponse stat(String key) {
        try {
            return client().statObject(StatObjectArgs.builder().bucket(bucket()).object(key).build());
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code())) {
                return null;
            }
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static StatObjectResponse blob(String sha256Hex) {
        return stat("blobs/sha256/" + sha256Hex);
    }
}
