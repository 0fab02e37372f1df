package io.flywheel.retrain.health;

import io.flywheel.readiness.BucketProbe;
import io.flywheel.retrain.storage.ObjectStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the bucket of training data answers a signed request (probed in the background: readiness/). */
@Readiness
@ApplicationScoped
public class S3Probe extends BucketProbe {

    private final ObjectStore store;

    public S3Probe(ObjectStore store) {
        this.store = store;
    }

    @Override
    protected String bucket() {
        return store.bucket();
    }

    @Override
    protected Uni<Boolean> bucketExists() {
        return store.bucketExists();
    }
}
