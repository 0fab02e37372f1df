package io.flywheel.monitor.health;

import io.flywheel.monitor.storage.ObjectStore;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;

/** Ready only while the bucket of labelled data answers a signed request. */
@Readiness
@ApplicationScoped
public class S3ReadinessCheck implements AsyncHealthCheck {

    private final ObjectStore store;

    public S3ReadinessCheck(ObjectStore store) {
        this.store = store;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        var response = HealthCheckResponse.named("S3 object store").withData("bucket", store.bucket());
        return store.bucketExists()
                .ifNoItem().after(Duration.ofSeconds(3)).fail()
                .map(exists -> exists ? response.up().build()
                        : response.down().withData("error", "bucket does not exist").build())
                .onFailure().recoverWithItem(e -> response.down().withData("error", String.valueOf(e.getMessage())).build());
    }
}
