package io.flywheel.readiness;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.Readiness;

import java.util.Map;

/** Ready while the service's PostgreSQL answers a query through its own pool. */
@Readiness
@ApplicationScoped
public class PostgresProbe extends BackgroundProbe {

    private final Pool pool;

    public PostgresProbe(Pool pool) {
        this.pool = pool;
    }

    @Override
    protected String name() {
        return "PostgreSQL";
    }

    @Override
    protected Uni<Map<String, Object>> probe() {
        return pool.query("SELECT 1").execute().replaceWith(Map.of());
    }
}
