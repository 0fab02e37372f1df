package io.flywheel.readiness;

import io.smallrye.mutiny.Uni;

import java.util.Map;

/** Ready while the service's S3 bucket answers a signed request; a service says how to ask its own store. */
public abstract class BucketProbe extends BackgroundProbe {

    protected abstract String bucket();

    protected abstract Uni<Boolean> bucketExists();

    @Override
    protected String name() {
        return "S3 object store";
    }

    @Override
    protected Uni<Map<String, Object>> probe() {
        return bucketExists().map(exists -> {
            if (!exists) {
                throw new IllegalStateException("bucket " + bucket() + " does not exist");
            }
            return Map.of("bucket", bucket());
        });
    }
}
