package io.flywheel.system.fault;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Each service's own readiness endpoint, asked directly (not through the gateway), timed. */
final class Readiness {

    /** One answer: its status (-1: none within the timeout) and how long it took. */
    record Probe(int status, long millis) {
        boolean up() {
            return status == 200;
        }

        boolean down() {
            return status == 503;
        }
    }

    private final Map<String, URI> services;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Readiness(Map<String, URI> services) {
        this.services = services;
    }

    Map<String, URI> services() {
        return services;
    }

    Probe probe(String service) {
        long start = System.nanoTime();
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(services.get(service).resolve("/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return new Probe(response.statusCode(), (System.nanoTime() - start) / 1_000_000);
        } catch (java.io.IOException e) {
            return new Probe(-1, (System.nanoTime() - start) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Probe(-1, 0);
        }
    }

    Map<String, Probe> probeAll() {
        Map<String, Probe> probes = new LinkedHashMap<>();
        services.keySet().forEach(service -> probes.put(service, probe(service)));
        return probes;
    }

    /** Milliseconds until every service answers ready, or -1 when not within the limit. */
    long untilAllReady(Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        while (System.nanoTime() - start < limit.toNanos()) {
            if (probeAll().values().stream().allMatch(Probe::up)) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            Thread.sleep(200);
        }
        return -1;
    }
}
