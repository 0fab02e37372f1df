package io.flywheel.deploy.serving;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serving metrics per live model version and environment: latency ({@code deploy.serving.latency},
 * a timer with a percentile histogram), refused inputs ({@code deploy.serving.errors}, by reason),
 * requests in flight ({@code deploy.serving.in_flight}). Tags are bounded by what is live: model,
 * version, environment and a fixed set of reasons and roles. Requests for models that serve nothing
 * are counted by reason alone ({@code deploy.serving.rejected}), so a caller can't grow the tag space.
 */
@ApplicationScoped
public class ServingMetrics {

    /** The meters of one version in one environment, created once and kept (gauges must keep their object). */
    public static final class VersionMeters {
        private final Timer latency;
        private final Counter invalidInput;
        private final Counter failed;
        private final Counter upstream;
        private final AtomicInteger inFlight;
        private final ServingTally tally;

        VersionMeters(MeterRegistry registry, Tags tags, ServingTally tally) {
            this.tally = tally;
            this.latency = Timer.builder("deploy.serving.latency").description("Time to validate, score and answer one inference request")
                    .tags(tags).publishPercentileHistogram().register(registry);
            this.invalidInput = Counter.builder("deploy.serving.errors").description("Inference requests refused or failed")
                    .tags(tags.and("reason", "invalid-input")).register(registry);
            this.failed = Counter.builder("deploy.serving.errors").description("Inference requests refused or failed")
                    .tags(tags.and("reason", "internal")).register(registry);
            this.upstream = Counter.builder("deploy.serving.errors").description("Inference requests refused or failed")
                    .tags(tags.and("reason", "external")).register(registry);
            this.inFlight = new AtomicInteger();
            Gauge.builder("deploy.serving.in_flight", inFlight, AtomicInteger::get)
                    .description("Inference requests being served").tags(tags).register(registry);
        }

        public void started() {
            inFlight.incrementAndGet();
        }

        public void finished(long nanos) {
            inFlight.decrementAndGet();
            latency.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
            tally.answered(nanos);
        }

        public void refused() {
            inFlight.decrementAndGet();
            invalidInput.increment();
            tally.failed();
        }

        /** Routed to a version that left traffic before it scored: routed again, counted there. */
        public void abandoned() {
            inFlight.decrementAndGet();
        }

        public void failed() {
            inFlight.decrementAndGet();
            failed.increment();
            tally.failed();
        }

        /** An external version's endpoint gave no answer (timeout, unavailable, breaker open, bad gateway). */
        public void upstreamFailed() {
            inFlight.decrementAndGet();
            upstream.increment();
            tally.failed();
        }
    }

    private final MeterRegistry registry;
    private final Map<String, VersionMeters> meters = new ConcurrentHashMap<>();
    private final Map<String, ServingTally> tallies = new ConcurrentHashMap<>();
    private final Counter notLive;
    private final Counter notReady;

    public ServingMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.notLive = Counter.builder("deploy.serving.rejected").tag("reason", "not-live")
                .description("Inference requests for a model with nothing live in the environment").register(registry);
        this.notReady = Counter.builder("deploy.serving.rejected").tag("reason", "not-ready")
                .description("Inference requests for a live version still loading").register(registry);
    }

    public VersionMeters of(String model, String environment, int version, String role) {
        return meters.computeIfAbsent(model + '\u0000' + environment + '\u0000' + version + '\u0000' + role,
                k -> new VersionMeters(registry, Tags.of("model", model, "version", String.valueOf(version),
                        "environment", environment, "role", role), tally(model, environment, version)));
    }

    /** What this replica served of the version in the environment, whatever its role: the canary judge's evidence. */
    public ServingTally tally(String model, String environment, int version) {
        return tallies.computeIfAbsent(model + '\u0000' + environment + '\u0000' + version, k -> new ServingTally());
    }

    public void notLive() {
        notLive.increment();
    }

    public void notReady() {
        notReady.increment();
    }
}
