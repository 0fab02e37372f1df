package io.flywheel.monitor.infra;

import io.flywheel.monitor.config.MonitorConfig;
import io.flywheel.monitor.evaluation.AlertPublisher;
import io.flywheel.monitor.evaluation.MonitorMetrics;
import io.flywheel.monitor.window.Alerts;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scrapes the Prometheus metrics of the configured serving endpoints ({@code monitor.infrastructure.<name>.*})
 * and applies their rules: latency p99, error rate, CPU and heap. A broken rule raises
 * {@code quality.degraded} with kind "infrastructure" for the target's model version, once per
 * change of state, like any other degradation; an endpoint that does not answer breaks rule "reachable".
 */
@ApplicationScoped
public class InfraMonitor {

    private final MonitorConfig config;
    private final AlertPublisher alerts;
    private final MonitorMetrics metrics;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final Map<String, ServingHealth.Scrape> previous = new ConcurrentHashMap<>();
    private final Map<String, Instant> previousAt = new ConcurrentHashMap<>();

    public InfraMonitor(MonitorConfig config, AlertPublisher alerts, MonitorMetrics metrics) {
        this.config = config;
        this.alerts = alerts;
        this.metrics = metrics;
    }

    @Scheduled(every = "${monitor.evaluation-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> onSchedule() {
        return checkAll().onFailure().invoke(e -> Log.warnf("infrastructure check failed: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    public Uni<Integer> checkAll() {
        return Multi.createFrom().iterable(config.infrastructure().entrySet())
                .onItem().transformToUniAndConcatenate(e -> check(e.getKey(), e.getValue()))
                .collect().asList().map(List::size);
    }

    /** Scrapes one target and applies its rules (public for tests that bring their own target). */
    public Uni<Void> check(String name, MonitorConfig.InfraTarget target) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(target.url())).timeout(Duration.ofSeconds(5)).GET().build();
        Instant now = Instant.now();
        Instant since = previousAt.getOrDefault(name, now);
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .map(response -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("HTTP " + response.statusCode());
                    }
                    List<PrometheusText.Sample> samples = PrometheusText.parse(response.body());
                    // a version deploy serves from an external endpoint is judged by that endpoint's figures
                    ServingHealth.Scrape scrape = ServingHealth.readExternal(samples, target.model(), target.version());
                    if (scrape == null) {
                        scrape = ServingHealth.read(samples, target.uriPrefix().orElse(null));
                    }
                    ServingHealth.Figures f = ServingHealth.between(previous.get(name), scrape);
                    previous.put(name, scrape);
                    previousAt.put(name, now);
                    return conditions(name, target, f, scrape);
                })
                .onFailure().recoverWithItem(e -> List.of(new Alerts.Condition("infrastructure", name + ":reachable", true,
                        "reachable", 0, 1, 0, Map.of("target", name, "url", target.url(), "error", String.valueOf(e.getMessage())))))
                .chain(conditions -> alerts.publish(target.model(), target.version(), conditions, since, now))
                .replaceWithVoid();
    }

    private List<Alerts.Condition> conditions(String name, MonitorConfig.InfraTarget t, ServingHealth.Figures f,
                                              ServingHealth.Scrape scrape) {
        List<Alerts.Condition> out = new ArrayList<>();
        if (scrape.reachable()) {
            out.add(new Alerts.Condition("infrastructure", name + ":reachable", false, "reachable", 1, 1, f.requests(),
                    Map.of("target", name)));
        } else {
            out.add(new Alerts.Condition("infrastructure", name + ":reachable", true, "reachable", 0, 1, f.requests(),
                    Map.of("target", name, "url", t.url(), "external_ready", scrape.ready(), "external_breaker_state", scrape.breaker())));
        }
        rule(out, name, t, "latency_p99_ms", f.latencyP99Ms(), t.latencyP99MsMax(), f);
        rule(out, name, t, "error_rate", f.errorRate(), t.errorRateMax(), f);
        rule(out, name, t, "cpu", f.cpu(), t.cpuMax(), f);
        rule(out, name, t, "memory", f.memory(), t.memoryMax(), f);
        for (String metric : List.of("latency_p99_ms", "error_rate", "cpu", "memory")) {
            double v = switch (metric) {
                case "latency_p99_ms" -> f.latencyP99Ms();
                case "error_rate" -> f.errorRate();
                case "cpu" -> f.cpu();
                default -> f.memory();
            };
            if (Double.isFinite(v)) {
                metrics.version(t.model(), t.version(), "flywheel.monitor.infrastructure." + metric, v);
            }
        }
        return out;
    }

    private static void rule(List<Alerts.Condition> out, String name, MonitorConfig.InfraTarget t, String metric, double value,
                             Optional<Double> max, ServingHealth.Figures f) {
        if (max.isEmpty()) {
            return;
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("target", name);
        evidence.put("url", t.url());
        evidence.put("rule", metric + " <= " + max.get());
        evidence.put("requests", f.requests());
        if (Double.isFinite(value)) {
            evidence.put("value", value);
        }
        if ("latency_p99_ms".equals(metric) && f.latencyFromMax()) {
            evidence.put("note", "no histogram buckets: p99 bounded by the slowest request");
        }
        Boolean breached = Double.isFinite(value) ? value > max.get() : null;
        out.add(new Alerts.Condition("infrastructure", name + ":" + metric, breached, metric,
                Double.isFinite(value) ? value : 0, max.get(), f.requests(), evidence));
    }
}
