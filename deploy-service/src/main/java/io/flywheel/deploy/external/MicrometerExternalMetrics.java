package io.flywheel.deploy.external;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link ExternalMetrics} on Micrometer, for one external version (tags {@code model}, {@code version}):
 *
 * <table>
 *   <caption>meters</caption>
 *   <tr><td>{@code deploy.external.latency}</td><td>timer, percentile histogram: calls the endpoint answered with 200</td></tr>
 *   <tr><td>{@code deploy.external.errors}</td><td>counter, tag {@code reason}: invalid-input, timeout, unavailable,
 *       circuit-open, bad-gateway, not-callable</td></tr>
 *   <tr><td>{@code deploy.external.breaker.state}</td><td>gauge: 0 closed, 1 half-open, 2 open</td></tr>
 *   <tr><td>{@code deploy.external.ready}</td><td>gauge: 1 when the last probe of {@code <url>/ready} answered 200,
 *       0 when not, -1 before the first probe</td></tr>
 * </table>
 *
 * Prometheus names: {@code deploy_external_latency_seconds_bucket}, {@code deploy_external_errors_total},
 * {@code deploy_external_breaker_state}, {@code deploy_external_ready}. Create one per version and keep it
 * (gauges hold their state object); the tag values are bounded by the versions deployed.
 */
public final class MicrometerExternalMetrics implements ExternalMetrics {

    private final Timer latency;
    private final Map<ExternalCallException.Kind, Counter> errors = new EnumMap<>(ExternalCallException.Kind.class);
    private final AtomicInteger breaker = new AtomicInteger();
    private final AtomicInteger ready = new AtomicInteger(-1);

    public MicrometerExternalMetrics(MeterRegistry registry, String model, int version) {
        Tags tags = Tags.of("model", model, "version", String.valueOf(version));
        this.latency = Timer.builder("deploy.external.latency").description("Round trip of calls an external v2 endpoint answered")
                .tags(tags).publishPercentileHistogram().register(registry);
        for (ExternalCallException.Kind kind : ExternalCallException.Kind.values()) {
            errors.put(kind, Counter.builder("deploy.external.errors").description("Calls to an external v2 endpoint without an answer")
                    .tags(tags.and("reason", kind.reason())).register(registry));
        }
        Gauge.builder("deploy.external.breaker.state", breaker, AtomicInteger::get)
                .description("The endpoint's circuit breaker: 0 closed, 1 half-open, 2 open").tags(tags).register(registry);
        Gauge.builder("deploy.external.ready", ready, AtomicInteger::get)
                .description("The endpoint's last readiness probe: 1 ready, 0 not, -1 not probed yet").tags(tags).register(registry);
    }

    @Override
    public void answered(long nanos) {
        latency.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void failed(ExternalCallException.Kind kind, long nanos) {
        errors.get(kind).increment();
    }

    @Override
    public void breaker(CircuitBreaker.State state) {
        breaker.set(state.level());
    }

    @Override
    public void ready(boolean isReady) {
        ready.set(isReady ? 1 : 0);
    }
}
