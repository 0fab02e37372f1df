package io.flywheel.monitor.infra;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import io.flywheel.events.QualityDegraded;
import io.flywheel.monitor.config.MonitorConfig;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import static io.flywheel.monitor.support.Events.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Infrastructure rules on a real Prometheus endpoint (this service's own /q/metrics): a heap rule
 * that can't hold raises quality.degraded with kind "infrastructure", once, on the real broker.
 */
@QuarkusTest
class InfraMonitorTest {

    @Inject
    InfraMonitor infra;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @ConfigProperty(name = "mp.messaging.outgoing.monitor-events.topic")
    String monitorTopic;

    @Test
    void aBrokenRuleRaisesInfrastructureDegradationOnce() {
        String model = "infra-" + UUID.randomUUID().toString().substring(0, 8);
        MonitorConfig.InfraTarget target = new MonitorConfig.InfraTarget() {
            public String url() { return metrics.toString(); }
            public String model() { return model; }
            public int version() { return 2; }
            public Optional<Double> latencyP99MsMax() { return Optional.of(60_000.0); }
            public Optional<Double> errorRateMax() { return Optional.empty(); }
            public Optional<Double> cpuMax() { return Optional.empty(); }
            public Optional<Double> memoryMax() { return Optional.of(0.0); } // any heap use breaks it
            public Optional<String> uriPrefix() { return Optional.empty(); }
        };
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> verdicts = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(monitorTopic)) {
            infra.check("self", target).await().atMost(Duration.ofSeconds(20));
            infra.check("self", target).await().atMost(Duration.ofSeconds(20)); // still broken: no second event
            await().atMost(Duration.ofSeconds(20)).until(() -> verdicts.stream()
                    .anyMatch(r -> model.equals(r.key()) && QualityDegraded.TYPE.equals(header(r, "ce_type"))));
            var events = verdicts.stream().filter(r -> model.equals(r.key())).toList();
            assertThat(events).hasSize(1);
            JsonPath e = JsonPath.from(events.get(0).value());
            assertThat(e.getString("kind")).isEqualTo("infrastructure");
            assertThat(e.getString("metric")).isEqualTo("memory");
            assertThat(e.getInt("version")).isEqualTo(2);
            assertThat(e.getDouble("value")).isPositive();
            assertThat(e.getString("evidence.url")).endsWith("/q/metrics");
        }
    }

    /**
     * A target naming a version deploy serves from an external endpoint is judged by deploy's
     * deploy_external_* figures for it: its failed readiness probe makes it unreachable. The meters are
     * registered here as deploy registers them (MicrometerExternalMetrics), on this service's own endpoint.
     */
    @Test
    void anExternalVersionWhoseEndpointIsNotReadyIsUnreachable() {
        String model = "infra-ext-" + UUID.randomUUID().toString().substring(0, 8);
        var tags = io.micrometer.core.instrument.Tags.of("model", model, "version", "4");
        io.micrometer.core.instrument.Timer.builder("deploy.external.latency").tags(tags).publishPercentileHistogram().register(registry)
                .record(Duration.ofMillis(20));
        var ready = new java.util.concurrent.atomic.AtomicInteger(0);
        io.micrometer.core.instrument.Gauge.builder("deploy.external.ready", ready, java.util.concurrent.atomic.AtomicInteger::get)
                .tags(tags).register(registry);
        io.micrometer.core.instrument.Gauge.builder("deploy.external.breaker.state", () -> 0).tags(tags).register(registry);
        MonitorConfig.InfraTarget target = new MonitorConfig.InfraTarget() {
            public String url() { return metrics.toString(); }
            public String model() { return model; }
            public int version() { return 4; }
            public Optional<Double> latencyP99MsMax() { return Optional.of(60_000.0); }
            public Optional<Double> errorRateMax() { return Optional.empty(); }
            public Optional<Double> cpuMax() { return Optional.empty(); }
            public Optional<Double> memoryMax() { return Optional.of(0.0); } // not judged for an external endpoint
            public Optional<String> uriPrefix() { return Optional.empty(); }
        };
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> verdicts = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(monitorTopic)) {
            infra.check("external", target).await().atMost(Duration.ofSeconds(20));
            await().atMost(Duration.ofSeconds(20)).until(() -> verdicts.stream()
                    .anyMatch(r -> model.equals(r.key()) && QualityDegraded.TYPE.equals(header(r, "ce_type"))));
            var events = verdicts.stream().filter(r -> model.equals(r.key())).toList();
            assertThat(events).hasSize(1);
            JsonPath e = JsonPath.from(events.get(0).value());
            assertThat(e.getString("kind")).isEqualTo("infrastructure");
            assertThat(e.getString("metric")).isEqualTo("reachable");
            assertThat(e.getInt("version")).isEqualTo(4);
            assertThat(e.getDouble("evidence.external_ready")).isEqualTo(0.0);
        }
    }
}
