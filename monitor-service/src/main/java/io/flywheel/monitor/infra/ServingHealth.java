package io.flywheel.monitor.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Health of a serving endpoint from two scrapes of its Micrometer metrics: request latency p99
 * and error rate over the requests between the scrapes (from {@code http_server_requests_seconds}
 * buckets and counts), CPU ({@code process_cpu_usage}) and heap use (used / max of
 * {@code jvm_memory_used_bytes} / {@code jvm_memory_max_bytes}, area heap). Without histogram
 * buckets, p99 is bounded by the largest request seen ({@code _max}). Plain logic.
 *
 * <p>For a target naming a version that deploy serves from an external v2 endpoint (deploy exports
 * {@code deploy_external_*} for it), the figures are the endpoint's as deploy sees them
 * ({@link #readExternal}): latency from {@code deploy_external_latency_seconds}, errors from
 * {@code deploy_external_errors_total} (every reason but the caller's invalid input), and whether it is
 * reachable from {@code deploy_external_ready} and {@code deploy_external_breaker_state}; CPU and memory
 * are the endpoint's own business, so they are not judged.
 */
public final class ServingHealth {

    /** Counters of one scrape that the next scrape is compared with. */
    public record Scrape(double requests, double errors, TreeMap<Double, Double> buckets, double maxSeconds, double cpu,
                         double heapUsed, double heapMax, boolean external, double ready, double breaker) {

        public Scrape(double requests, double errors, TreeMap<Double, Double> buckets, double maxSeconds, double cpu,
                      double heapUsed, double heapMax) {
            this(requests, errors, buckets, maxSeconds, cpu, heapUsed, heapMax, false, Double.NaN, Double.NaN);
        }

        /**
         * For an external version: false when its last readiness probe failed or its circuit breaker is open
         * (level 2); true otherwise (also before the first probe).
         */
        public boolean reachable() {
            return !external || !(ready == 0 || breaker == 2);
        }
    }

    /** The figures of the interval between two scrapes; NaN when there is nothing to tell. */
    public record Figures(double latencyP99Ms, boolean latencyFromMax, double errorRate, long requests, double cpu,
                          double memory) {
    }

    private ServingHealth() {
    }

    public static Scrape read(List<PrometheusText.Sample> samples, String uriPrefix) {
        double requests = 0;
        double errors = 0;
        double max = 0;
        double cpu = Double.NaN;
        double heapUsed = 0;
        double heapMax = 0;
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (PrometheusText.Sample s : samples) {
            Map<String, String> l = s.labels();
            boolean request = s.name().startsWith("http_server_requests_seconds")
                    && (uriPrefix == null || l.getOrDefault("uri", "").startsWith(uriPrefix))
                    && !l.getOrDefault("uri", "").startsWith("/q/");
            switch (s.name()) {
                case "http_server_requests_seconds_count" -> {
                    if (request) {
                        requests += s.value();
                        if (l.getOrDefault("status", "").startsWith("5")) {
                            errors += s.value();
                        }
                    }
                }
                case "http_server_requests_seconds_max" -> {
                    if (request) {
                        max = Math.max(max, s.value());
                    }
                }
                case "http_server_requests_seconds_bucket" -> {
                    if (request && l.containsKey("le")) {
                        double le = "+Inf".equals(l.get("le")) ? Double.POSITIVE_INFINITY : Double.parseDouble(l.get("le"));
                        buckets.merge(le, s.value(), Double::sum);
                    }
                }
                case "process_cpu_usage" -> cpu = s.value();
                case "jvm_memory_used_bytes" -> {
                    if ("heap".equals(l.get("area"))) {
                        heapUsed += s.value();
                    }
                }
                case "jvm_memory_max_bytes" -> {
                    if ("heap".equals(l.get("area")) && s.value() > 0) {
                        heapMax += s.value();
                    }
                }
                default -> {
                }
            }
        }
        return new Scrape(requests, errors, buckets, max, cpu, heapUsed, heapMax);
    }

    /**
     * The external endpoint of {@code model} version {@code version} as deploy reports it, or null when
     * the scrape has no {@code deploy_external_*} figures for that version (it is not external).
     */
    public static Scrape readExternal(List<PrometheusText.Sample> samples, String model, int version) {
        String v = String.valueOf(version);
        double answered = 0;
        double errors = 0;
        double max = 0;
        double ready = Double.NaN;
        double breaker = Double.NaN;
        boolean found = false;
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (PrometheusText.Sample s : samples) {
            if (!s.name().startsWith("deploy_external_")) {
                continue;
            }
            Map<String, String> l = s.labels();
            if (!model.equals(l.get("model")) || !v.equals(l.get("version"))) {
                continue;
            }
            switch (s.name()) {
                case "deploy_external_latency_seconds_count" -> {
                    answered += s.value();
                    found = true;
                }
                case "deploy_external_latency_seconds_max" -> max = Math.max(max, s.value());
                case "deploy_external_latency_seconds_bucket" -> {
                    if (l.containsKey("le")) {
                        double le = "+Inf".equals(l.get("le")) ? Double.POSITIVE_INFINITY : Double.parseDouble(l.get("le"));
                        buckets.merge(le, s.value(), Double::sum);
                    }
                }
                case "deploy_external_errors_total" -> {
                    if (!"invalid-input".equals(l.get("reason"))) { // the caller's mistake, not the endpoint's
                        errors += s.value();
                    }
                }
                case "deploy_external_ready" -> ready = s.value();
                case "deploy_external_breaker_state" -> breaker = s.value();
                default -> {
                }
            }
        }
        if (!found) {
            return null;
        }
        return new Scrape(answered + errors, errors, buckets, max, Double.NaN, 0, 0, true, ready, breaker);
    }

    /** Figures between a previous scrape (null: since the start) and this one. */
    public static Figures between(Scrape previous, Scrape now) {
        double requests = now.requests() - (previous == null ? 0 : previous.requests());
        double errors = now.errors() - (previous == null ? 0 : previous.errors());
        if (requests < 0) { // the endpoint restarted: its counters began again
            requests = now.requests();
            errors = now.errors();
            previous = null;
        }
        double p99 = Double.NaN;
        boolean fromMax = false;
        // an external endpoint's histogram holds the calls it answered; the failed ones count in the error rate only
        double timed = now.external() ? requests - errors : requests;
        if (timed > 0) {
            if (!now.buckets().isEmpty()) {
                List<double[]> delta = new ArrayList<>();
                for (var e : now.buckets().entrySet()) {
                    double before = previous == null ? 0 : previous.buckets().getOrDefault(e.getKey(), 0.0);
                    delta.add(new double[]{e.getKey(), e.getValue() - before});
                }
                double target = 0.99 * timed;
                for (double[] b : delta) {
                    if (b[1] >= target) {
                        p99 = b[0] * 1000;
                        break;
                    }
                }
                if (Double.isNaN(p99) || Double.isInfinite(p99)) { // beyond the last finite bucket
                    p99 = now.maxSeconds() * 1000;
                    fromMax = true;
                }
            } else {
                p99 = now.maxSeconds() * 1000;
                fromMax = true;
            }
        }
        double errorRate = requests > 0 ? errors / requests : Double.NaN;
        double memory = now.heapMax() > 0 ? now.heapUsed() / now.heapMax() : Double.NaN;
        return new Figures(p99, fromMax, errorRate, (long) requests, now.cpu(), memory);
    }
}
