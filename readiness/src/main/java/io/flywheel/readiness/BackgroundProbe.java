package io.flywheel.readiness;

import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A dependency's readiness, probed in the background ({@link Prober}) and answered from the last
 * outcome, so /q/health/ready never waits on the network: with the dependency gone it says DOWN within
 * one probe interval and a timeout, in a millisecond. A subclass says what to probe; a probe that does
 * not answer within {@code flywheel.readiness.timeout} counts as down. Until the first probe has
 * answered, the dependency is DOWN.
 */
public abstract class BackgroundProbe implements HealthCheck {

    private final AtomicBoolean probing = new AtomicBoolean();
    /** null until the first probe answered */
    private volatile HealthCheckResponse last;

    /** The check's name in /q/health. */
    protected abstract String name();

    /** Succeeds, with data to show, while the dependency answers; fails otherwise. */
    protected abstract Uni<Map<String, Object>> probe();

    /** Whether the last probe found the dependency answering (false until one has). */
    public boolean isUp() {
        HealthCheckResponse known = last;
        return known != null && known.getStatus() == HealthCheckResponse.Status.UP;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponse known = last;
        return known != null ? known : HealthCheckResponse.named(name()).down().withData("error", "not probed yet").build();
    }

    /** One probe, unless the previous one is still out (public: client proxies of subclasses elsewhere must reach it). */
    public void refresh(Duration timeout) {
        if (!probing.compareAndSet(false, true)) {
            return;
        }
        Uni<Map<String, Object>> probe;
        try {
            probe = probe();
        } catch (RuntimeException e) {
            probing.set(false);
            last = down(e);
            return;
        }
        probe.ifNoItem().after(timeout).fail()
                .subscribe().with(data -> {
                    var up = HealthCheckResponse.named(name()).up();
                    data.forEach((key, value) -> up.withData(key, String.valueOf(value)));
                    last = up.build();
                    probing.set(false);
                }, failure -> {
                    last = down(failure);
                    probing.set(false);
                });
    }

    private HealthCheckResponse down(Throwable failure) {
        String reason = failure instanceof io.smallrye.mutiny.TimeoutException ? "no answer in time"
                : failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return HealthCheckResponse.named(name()).down().withData("error", reason.length() > 300 ? reason.substring(0, 300) : reason).build();
    }
}
