package io.flywheel.deploy.health;

import io.flywheel.deploy.serving.ServingTable;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready to take inference traffic once the routing table has been read from the database: a
 * (re)started replica does not answer "nothing live" for models that are live.
 */
@Readiness
@ApplicationScoped
public class ServingReadiness implements HealthCheck {

    private final ServingTable table;

    public ServingReadiness(ServingTable table) {
        this.table = table;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Serving routing table").status(table.loaded()).build();
    }
}
