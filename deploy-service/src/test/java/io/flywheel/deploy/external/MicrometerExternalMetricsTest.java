package io.flywheel.deploy.external;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class MicrometerExternalMetricsTest {

    @Test
    void eachHookLandsInItsMeterTaggedWithModelAndVersion() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicrometerExternalMetrics metrics = new MicrometerExternalMetrics(registry, "churn", 3);

        assertThat(registry.get("deploy.external.ready").tags("model", "churn", "version", "3").gauge().value()).isEqualTo(-1);
        metrics.answered(TimeUnit.MILLISECONDS.toNanos(12));
        metrics.answered(TimeUnit.MILLISECONDS.toNanos(8));
        metrics.failed(ExternalCallException.Kind.TIMEOUT, TimeUnit.SECONDS.toNanos(2));
        metrics.failed(ExternalCallException.Kind.CIRCUIT_OPEN, 0);
        metrics.failed(ExternalCallException.Kind.CIRCUIT_OPEN, 0);
        metrics.breaker(CircuitBreaker.State.OPEN);
        metrics.ready(true);

        assertThat(registry.get("deploy.external.latency").tags("model", "churn", "version", "3").timer().count()).isEqualTo(2);
        assertThat(registry.get("deploy.external.latency").timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(20.0);
        assertThat(registry.get("deploy.external.errors").tag("reason", "timeout").counter().count()).isEqualTo(1);
        assertThat(registry.get("deploy.external.errors").tag("reason", "circuit-open").counter().count()).isEqualTo(2);
        assertThat(registry.get("deploy.external.errors").tag("reason", "bad-gateway").counter().count()).isZero();
        assertThat(registry.get("deploy.external.breaker.state").gauge().value()).isEqualTo(2);
        assertThat(registry.get("deploy.external.ready").gauge().value()).isEqualTo(1);
    }
}
