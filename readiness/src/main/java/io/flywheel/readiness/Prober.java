package io.flywheel.readiness;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.List;

/**
 * Runs every {@link BackgroundProbe} of the service every {@code flywheel.readiness.interval}
 * (default 250 ms), each bounded by {@code flywheel.readiness.timeout} (default 500 ms).
 */
@ApplicationScoped
public class Prober {

    private final Vertx vertx;
    private final List<BackgroundProbe> probes;
    private final Duration interval;
    private final Duration timeout;
    private long timer = -1;

    public Prober(Vertx vertx, @Any Instance<BackgroundProbe> probes,
                  @ConfigProperty(name = "flywheel.readiness.interval", defaultValue = "250ms") Duration interval,
                  @ConfigProperty(name = "flywheel.readiness.timeout", defaultValue = "500ms") Duration timeout) {
        this.vertx = vertx;
        this.probes = probes.stream().toList();
        this.interval = interval;
        this.timeout = timeout;
    }

    void start(@Observes StartupEvent start) {
        probes.forEach(probe -> probe.refresh(timeout));
        timer = vertx.setPeriodic(interval.toMillis(), tick -> probes.forEach(probe -> probe.refresh(timeout)));
    }

    void stop(@Observes ShutdownEvent stop) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
