package io.flywheel.gateway.bench;

import io.flywheel.internalauth.InternalToken;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * What the gateway costs: a cheap GET straight to the registry and the same GET through the gateway,
 * alternated over several rounds in one process (this machine is noisy: medians of rounds are what
 * count), then HTTP ingest throughput in records per second. Run by `./flywheel bench gateway`.
 *
 * System properties: bench.direct (registry URL), bench.gateway (gateway URL), bench.key (API key),
 * bench.concurrency, bench.seconds, bench.rounds.
 */
public final class GatewayBench {

    record Result(String name, double requestsPerSecond, double p50Micros, double p99Micros, long errors) {
        @Override
        public String toString() {
            return String.format("%-26s %9.0f req/s   p50 %8.0f µs   p99 %8.0f µs   errors %d",
                    name, requestsPerSecond, p50Micros, p99Micros, errors);
        }
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    public static void main(String[] args) throws Exception {
        String direct = System.getProperty("bench.direct", "http://127.0.0.1:8081");
        String gateway = System.getProperty("bench.gateway", "http://127.0.0.1:28080");
        // straight to the registry, a call carries an internal token as the gateway's would (signed once, for the
        // run: services take tokens valid for at most 10 minutes, and the run is shorter)
        String directToken = "Bearer " + new InternalToken(System.getenv("FLYWHEEL_TEST_INTERNAL_SECRET"))
                .sign("bench", "bench", java.time.Duration.ofMinutes(9));
        String key = System.getProperty("bench.key");
        int concurrency = Integer.getInteger("bench.concurrency", 16);
        int seconds = Integer.getInteger("bench.seconds", 10);
        int rounds = Integer.getInteger("bench.rounds", 3);
        String path = "/api/v1/models?limit=1";

        System.out.printf("GET %s, %d s per run, %d rounds, after a 5 s warm-up of each%n", path, seconds, rounds);
        run("warm-up direct", get(direct + path, null, directToken), concurrency, 5);
        run("warm-up gateway", get(gateway + path, key, null), concurrency, 5);

        // latency: one request at a time, so the figures are the gateway's own cost, not queueing
        System.out.println("\n-- latency, 1 connection --");
        List<Result> directAlone = new ArrayList<>();
        List<Result> gatewayAlone = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            directAlone.add(print(run("direct (round " + round + ")", get(direct + path, null, directToken), 1, seconds)));
            gatewayAlone.add(print(run("via gateway (round " + round + ")", get(gateway + path, key, null), 1, seconds)));
        }
        requireAnswered(directAlone, gatewayAlone);
        Result d1 = median("direct, median", directAlone);
        Result g1 = median("via gateway, median", gatewayAlone);
        System.out.println(d1);
        System.out.println(g1);

        // throughput: enough connections to saturate this machine (load generator included)
        System.out.printf("%n-- throughput, %d connections --%n", concurrency);
        List<Result> directRuns = new ArrayList<>();
        List<Result> gatewayRuns = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            directRuns.add(print(run("direct (round " + round + ")", get(direct + path, null, directToken), concurrency, seconds)));
            gatewayRuns.add(print(run("via gateway (round " + round + ")", get(gateway + path, key, null), concurrency, seconds)));
        }
        requireAnswered(directRuns, gatewayRuns);
        Result d = median("direct, median", directRuns);
        Result g = median("via gateway, median", gatewayRuns);
        System.out.println();
        System.out.println(d);
        System.out.println(g);
        System.out.printf("%nadded latency at p50, 1 connection: %.0f µs (goal ≤ 250); under saturation: %.0f µs%n",
                g1.p50Micros() - d1.p50Micros(), g.p50Micros() - d.p50Micros());
        System.out.printf("throughput ratio at %d connections: %.2f (goal ≥ 0.85)%n", concurrency,
                g.requestsPerSecond() / d.requestsPerSecond());

        int batch = Integer.getInteger("bench.batch", 1000);
        String body = IntStream.range(0, batch).mapToObj(i -> String.format(
                        "{\"request_id\":\"bench-%%s-%d\",\"model\":\"bench-ingest\",\"version\":1,\"inputs\":{\"x\":%d,\"y\":0.5},\"output\":1}", i, i))
                .collect(Collectors.joining(",", "[", "]"));
        AtomicLong sequence = new AtomicLong();
        Result ingest = run("ingest (" + batch + "/batch)", () -> HttpRequest.newBuilder(URI.create(gateway + "/api/v1/predictions"))
                .header("X-API-Key", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.replace("%s", Long.toString(sequence.incrementAndGet()))))
                .build(), 4, seconds);
        System.out.printf("%nHTTP ingest: %.0f records/s (%.1f batches/s of %d, p50 %.1f ms per batch, errors %d)%n",
                ingest.requestsPerSecond() * batch, ingest.requestsPerSecond(), batch, ingest.p50Micros() / 1000, ingest.errors());
    }

    private static java.util.function.Supplier<HttpRequest> get(String url, String key, String bearer) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).GET();
        if (key != null) {
            builder.header("X-API-Key", key);
        }
        if (bearer != null) {
            builder.header("Authorization", bearer);
        }
        HttpRequest request = builder.build();
        return () -> request;
    }

    /** A refused or failed call costs less than an answered one: figures with errors would compare nothing. */
    @SafeVarargs
    private static void requireAnswered(List<Result>... rounds) {
        List<Result> failing = Stream.of(rounds).flatMap(List::stream).filter(r -> r.errors() > 0).toList();
        if (!failing.isEmpty()) {
            throw new IllegalStateException("calls failed, so the figures mean nothing: " + failing);
        }
    }

    private static Result print(Result result) {
        System.out.println(result);
        return result;
    }

    private static Result median(String name, List<Result> runs) {
        return new Result(name,
                median(runs.stream().map(Result::requestsPerSecond).toList()),
                median(runs.stream().map(Result::p50Micros).toList()),
                median(runs.stream().map(Result::p99Micros).toList()),
                runs.stream().mapToLong(Result::errors).sum());
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** {@code concurrency} workers, each sending its next request when the previous answered. */
    private static Result run(String name, java.util.function.Supplier<HttpRequest> requests, int concurrency, int seconds)
            throws InterruptedException {
        Recorder recorder = new Recorder(3);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            workers.add(Thread.ofPlatform().daemon().start(() -> {
                while (running.get()) {
                    long start = System.nanoTime();
                    try {
                        HttpResponse<Void> response = CLIENT.send(requests.get(), HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() >= 300) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    recorder.recordValue(Math.max(1, (System.nanoTime() - start) / 1_000));
                    done.incrementAndGet();
                }
            }));
        }
        long started = System.nanoTime();
        Thread.sleep(seconds * 1_000L);
        running.set(false);
        for (Thread worker : workers) {
            worker.join();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        Histogram histogram = recorder.getIntervalHistogram();
        return new Result(name, done.get() / elapsed, histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99), errors.get());
    }
}
