package io.flywheel.deploy.bench;

import io.flywheel.deploy.support.Artifacts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The serving benchmark: {@code POST /v2/models/{name}/infer} of a 20-feature logistic model on the
 * packaged deploy-service, with the prediction log on and then off, in one run.
 *
 * <p>For each setting it starts the packaged service (its own process, its own environment "bench",
 * its own Kafka topics bench.*, consumer groups of its own), promotes the model there, warms up, then
 * measures two things: the throughput of a closed loop at a fixed concurrency (req/s, p50, p99), and
 * the latency at a fixed rate (500 req/s by default, open loop, latency counted from the intended send
 * time so a stall is not hidden). Then it reads the service's prediction-log counters (accepted, sent,
 * dropped) from /q/metrics. The registry must be running (the model and its artifact are registered
 * there); PostgreSQL and Kafka too.
 *
 * <pre>
 * ./mvnw -pl deploy-service -Pbench -DskipTests verify   [-Dbench.registry=http://127.0.0.1:8081 -Dbench.concurrency=16
 *                                                        -Dbench.rate=500 -Dbench.seconds=20]
 * </pre>
 */
public final class InferenceBench {

    private static final String ENV = "bench";
    private static final int FEATURES = 20;
    /** The local Kafka broker, if it runs on this machine: its CPU is part of what the log costs here. */
    private static final ProcessHandle BROKER = ProcessHandle.allProcesses()
            .filter(p -> p.info().commandLine().map(c -> c.contains("kafka.Kafka")).orElse(false)).findFirst().orElse(null);

    private record Result(String phase, boolean logOn, int concurrency, long requests, long errors, double seconds,
                          Histogram latency, double cpuSeconds, double brokerCpuSeconds) {
        double brokerMsPerThousand() {
            return requests == 0 ? Double.NaN : brokerCpuSeconds * 1000 / requests * 1000;
        }

        /** The service's CPU time per 1,000 answers (all its threads: serving, logging, Kafka client). */
        double cpuMsPerThousand() {
            return requests == 0 ? Double.NaN : cpuSeconds * 1000 / requests * 1000;
        }

        double rps() {
            return requests / seconds;
        }

        double ms(double percentile) {
            return latency.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    private record Counters(double accepted, double sent, double dropped) {
    }

    private final Map<String, String> args;
    private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    private final List<String> bodies = new ArrayList<>();

    private InferenceBench(Map<String, String> args) {
        this.args = args;
        Random random = new Random(42);
        for (int b = 0; b < 256; b++) {
            StringBuilder json = new StringBuilder("{\"id\":\"%ID%\",\"inputs\":[");
            for (int i = 0; i < FEATURES; i++) {
                if (i > 0) {
                    json.append(',');
                }
                json.append("{\"name\":\"x").append(i).append("\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[")
                        .append(String.format(Locale.ROOT, "%.4f", random.nextGaussian())).append("]}");
            }
            bodies.add(json.append("]}").toString());
        }
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new LinkedHashMap<>();
        for (String a : argv) {
            int eq = a.indexOf('=');
            args.put(a.substring(2, eq), a.substring(eq + 1));
        }
        new InferenceBench(args).run();
        System.exit(0);
    }

    private String arg(String name, String fallback) {
        return args.getOrDefault(name, fallback);
    }

    private void run() throws Exception {
        String registry = arg("registry", "http://127.0.0.1:8081");
        int concurrency = Integer.parseInt(arg("concurrency", "16"));
        int rate = Integer.parseInt(arg("rate", "500"));
        int seconds = Integer.parseInt(arg("seconds", "20"));
        String model = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        System.out.printf("bench: registering %s (%d-feature logistic) in %s%n", model, FEATURES, registry);
        int version = register(registry, model);

        // Both services run side by side (one idles while the other is measured), and the settings are
        // measured in alternation, round after round: on a shared machine the background load drifts,
        // and alternating keeps the comparison fair.
        int rounds = Integer.parseInt(arg("rounds", "2"));
        Map<Boolean, Integer> ports = new LinkedHashMap<>();
        Map<Boolean, Process> services = new LinkedHashMap<>();
        List<Result> results = new ArrayList<>();
        Map<Boolean, Counters> counters = new LinkedHashMap<>();
        Vertx vertx = Vertx.vertx();
        try {
            for (boolean logOn : new boolean[]{true, false}) {
                int port = freePort();
                ports.put(logOn, port);
                services.put(logOn, start(port, registry, logOn));
                awaitReady(port, services.get(logOn));
            }
            post(ports.get(true), "/api/v1/deployments/" + model + "/" + ENV + "/promotions",
                    "{\"version\":" + version + ",\"strategy\":\"replace\",\"reason\":\"benchmark\"}", 201);
            Map<Boolean, HttpClient> clients = new LinkedHashMap<>();
            for (boolean logOn : new boolean[]{true, false}) {
                awaitModelReady(ports.get(logOn), model);
                clients.put(logOn, vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                        .setDefaultPort(ports.get(logOn)).setKeepAlive(true).setPipelining(false),
                        new PoolOptions().setHttp1MaxSize(concurrency)));
                System.out.printf("bench: prediction log %s: warming up%n", logOn ? "on" : "off");
                closedLoop(clients.get(logOn), services.get(logOn).toHandle(), model, concurrency, Integer.parseInt(arg("warmup", "20")),
                        logOn, "warm-up");
            }
            for (int round = 1; round <= rounds; round++) {
                System.out.printf("bench: round %d of %d (load average %s)%n", round, rounds, loadAverage());
                for (boolean logOn : new boolean[]{true, false}) {
                    results.add(closedLoop(clients.get(logOn), services.get(logOn).toHandle(), model, concurrency, seconds, logOn,
                            "throughput"));
                }
                for (boolean logOn : new boolean[]{true, false}) {
                    results.add(paced(clients.get(logOn), services.get(logOn).toHandle(), model, rate, concurrency, seconds, logOn));
                }
            }
            for (boolean logOn : new boolean[]{true, false}) {
                clients.get(logOn).close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
                counters.put(logOn, awaitLogged(ports.get(logOn), logOn));
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            for (Process service : services.values()) {
                service.destroy();
                service.waitFor(20, TimeUnit.SECONDS);
            }
        }
        report(model, concurrency, rate, results, counters);
    }

    /** {@code concurrency} loops, each sending its next request when the previous answer arrived. */
    private Result closedLoop(HttpClient client, ProcessHandle service, String model, int concurrency, int seconds, boolean logOn,
                              String phase) throws Exception {
        double cpuBefore = cpu(service);
        double brokerBefore = cpu(BROKER);
        Histogram latency = new SynchronizedHistogram(TimeUnit.SECONDS.toMicros(10), 3);
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong ids = new AtomicLong();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            loops.add(done);
            loop(client, model, end, latency, ok, errors, ids, done);
        }
        CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(seconds + 30L, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        Result r = new Result(phase, logOn, concurrency, ok.get(), errors.get(), elapsed, latency, cpu(service) - cpuBefore,
                cpu(BROKER) - brokerBefore);
        if (!phase.equals("warm-up")) {
            System.out.printf(Locale.ROOT, "bench: log %-3s %-10s c=%d  %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  cpu %5.1f ms/1k  errors %d%n",
                    logOn ? "on" : "off", phase, concurrency, r.rps(), r.ms(50), r.ms(99), r.cpuMsPerThousand(), r.errors());
        }
        return r;
    }

    private void loop(HttpClient client, String model, long end, Histogram latency, AtomicLong ok, AtomicLong errors,
                      AtomicLong ids, CompletableFuture<Void> done) {
        if (System.nanoTime() >= end) {
            done.complete(null);
            return;
        }
        long sent = System.nanoTime();
        send(client, model, ids.incrementAndGet()).onComplete(result -> {
            latency.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
            if (result.succeeded() && result.result() == 200) {
                ok.incrementAndGet();
            } else {
                errors.incrementAndGet();
            }
            loop(client, model, end, latency, ok, errors, ids, done);
        });
    }

    /**
     * Open loop at {@code rate} requests per second (at most {@code cap} in flight); each latency is
     * counted from the moment the request was due, so queueing behind a slow answer is measured.
     */
    private Result paced(HttpClient client, ProcessHandle service, String model, int rate, int cap, int seconds, boolean logOn)
            throws Exception {
        double cpuBefore = cpu(service);
        double brokerBefore = cpu(BROKER);
        Histogram latency = new SynchronizedHistogram(TimeUnit.SECONDS.toMicros(10), 3);
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long total = (long) rate * seconds;
        long start = System.nanoTime();
        double interval = 1e9 / rate;
        ArrayDeque<Long> due = new ArrayDeque<>();
        int[] inFlight = {0};
        long[] scheduled = {0};
        CompletableFuture<Void> finished = new CompletableFuture<>();
        Object lock = new Object();
        Runnable pump = new Runnable() {
            @Override
            public void run() {
                synchronized (lock) {
                    long now = System.nanoTime();
                    while (scheduled[0] < total && start + (long) (scheduled[0] * interval) <= now) {
                        due.add(start + (long) (scheduled[0] * interval));
                        scheduled[0]++;
                    }
                    while (!due.isEmpty() && inFlight[0] < cap) {
                        long intended = due.poll();
                        inFlight[0]++;
                        send(client, model, scheduled[0] * 7919 + inFlight[0]).onComplete(result -> {
                            latency.recordValue(Math.max(1, (System.nanoTime() - intended) / 1000));
                            if (result.succeeded() && result.result() == 200) {
                                ok.incrementAndGet();
                            } else {
                                errors.incrementAndGet();
                            }
                            synchronized (lock) {
                                inFlight[0]--;
                                if (scheduled[0] >= total && due.isEmpty() && inFlight[0] == 0) {
                                    finished.complete(null);
                                }
                            }
                            this.run();
                        });
                    }
                }
            }
        };
        Thread ticker = Thread.ofPlatform().daemon().name("bench-pacer").start(() -> {
            while (!finished.isDone()) {
                pump.run();
                try {
                    Thread.sleep(0, 200_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        finished.get(seconds + 60L, TimeUnit.SECONDS);
        ticker.interrupt();
        double elapsed = (System.nanoTime() - start) / 1e9;
        Result r = new Result("rate " + rate, logOn, cap, ok.get(), errors.get(), elapsed, latency, cpu(service) - cpuBefore,
                cpu(BROKER) - brokerBefore);
        System.out.printf(Locale.ROOT, "bench: log %-3s %-10s       %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  cpu %5.1f ms/1k  errors %d%n",
                logOn ? "on" : "off", r.phase(), r.rps(), r.ms(50), r.ms(99), r.cpuMsPerThousand(), r.errors());
        return r;
    }

    private Future<Integer> send(HttpClient client, String model, long id) {
        String body = bodies.get((int) (id & 255)).replace("%ID%", "b" + id);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI("/v2/models/" + model + "/infer")
                .putHeader("Content-Type", "application/json").putHeader("X-Flywheel-Environment", ENV);
        return client.request(options)
                .compose(request -> request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(ignored -> response.statusCode()));
    }

    private void report(String model, int concurrency, int rate, List<Result> results, Map<Boolean, Counters> counters) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nServing benchmark: POST /v2/models/%s/infer, %d-feature logistic model, packaged deploy-service%n",
                model, FEATURES));
        out.append(String.format(Locale.ROOT, "machine: %d cores, load average now %s; load generator on the same machine%n%n",
                Runtime.getRuntime().availableProcessors(), loadAverage()));
        out.append(String.format(Locale.ROOT, "%-16s %-12s %11s %9s %9s %9s %14s %14s %8s%n", "prediction log", "load", "req/s", "p50 ms",
                "p99 ms", "p99.9 ms", "cpu ms/1k req", "broker ms/1k", "errors"));
        for (Result r : results) {
            String load = r.phase().equals("throughput") ? "c=" + r.concurrency() : r.phase() + "/s";
            out.append(String.format(Locale.ROOT, "%-16s %-12s %11.0f %9.2f %9.2f %9.2f %14.1f %14.1f %8d%n", r.logOn() ? "on" : "off", load,
                    r.rps(), r.ms(50), r.ms(99), r.ms(99.9), r.cpuMsPerThousand(), r.brokerMsPerThousand(), r.errors()));
        }
        double on = results.stream().filter(r -> r.logOn() && r.phase().equals("throughput")).mapToDouble(Result::rps).max().orElseThrow();
        double off = results.stream().filter(r -> !r.logOn() && r.phase().equals("throughput")).mapToDouble(Result::rps).max().orElseThrow();
        out.append(String.format(Locale.ROOT, "%nlogging cost: %.1f%% of throughput (best round: %.0f vs %.0f req/s at c=%d)%n",
                100.0 * (1 - on / off), on, off, concurrency));
        double cpuOn = results.stream().filter(r -> r.logOn() && r.phase().startsWith("rate")).mapToDouble(Result::cpuMsPerThousand)
                .min().orElseThrow();
        double cpuOff = results.stream().filter(r -> !r.logOn() && r.phase().startsWith("rate")).mapToDouble(Result::cpuMsPerThousand)
                .min().orElseThrow();
        out.append(String.format(Locale.ROOT, "logging cost at %d req/s: %.1f%% more service CPU per answer (%.1f vs %.1f ms per 1,000 answers)%n",
                rate, 100.0 * (cpuOn / cpuOff - 1), cpuOn, cpuOff));
        Counters logged = counters.get(true);
        out.append(String.format(Locale.ROOT, "prediction log (on): accepted %.0f, sent to Kafka %.0f, dropped %.0f%n",
                logged.accepted(), logged.sent(), logged.dropped()));
        double pacedP99 = results.stream().filter(r -> r.logOn() && r.phase().startsWith("rate")).mapToDouble(r -> r.ms(99)).min()
                .orElseThrow();
        out.append(String.format(Locale.ROOT, "goal p99 <= 5 ms at %d req/s with the log on: %s (best round p99 %.2f ms)%n", rate,
                pacedP99 <= 5.0 ? "met" : "NOT met", pacedP99));
        System.out.print(out);
        Path file = Path.of("target", "bench-deploy.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, out.toString());
        System.out.println("(also in " + file.toAbsolutePath() + ")");
    }

    private static double cpu(ProcessHandle process) {
        if (process == null) {
            return Double.NaN;
        }
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    // --- the service under test ------------------------------------------------------------------

    private Process start(int port, String registry, boolean logOn) throws IOException {
        String group = "deploy-bench-" + UUID.randomUUID();
        List<String> command = new ArrayList<>(List.of(arg("java", "java"), "-Xmx512m",
                "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.access-log.enabled=" + arg("access-log", "false"),
                "-Ddeploy.environments=" + ENV,
                "-Ddeploy.registry.url=" + registry,
                "-Ddeploy.prediction-log.enabled=" + logOn,
                "-Ddeploy.prediction-log.compression=" + arg("compression", "lz4"),
                "-Ddeploy.serving.refresh-interval=1s",
                "-Ddeploy.prediction-log.topic=bench.flywheel.inference",
                "-Dmp.messaging.outgoing.outbox.topic=bench.flywheel.deploy"));
        for (String channel : List.of("registry-events", "monitor-events", "retrain-events")) {
            command.add("-Dmp.messaging.incoming." + channel + ".group.id=" + group);
            command.add("-Dmp.messaging.incoming." + channel + ".auto.offset.reset=latest");
        }
        if (Boolean.parseBoolean(arg("jfr", "false"))) {
            command.add("-XX:StartFlightRecording=filename=target/bench-deploy-" + (logOn ? "log-on" : "log-off") + ".jfr,settings=profile");
        }
        command.addAll(List.of("-jar", arg("jar", "target/quarkus-app/quarkus-run.jar")));
        File log = new File("target/bench-deploy-" + (logOn ? "log-on" : "log-off") + ".log");
        System.out.printf("bench: starting the packaged deploy-service on port %d, prediction log %s (log: %s)%n", port,
                logOn ? "on" : "off", log);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }

    private void awaitReady(int port, Process service) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("deploy-service exited during start-up; see target/bench-deploy-*.log");
            }
            if (status(port, "/q/health/ready") == 200) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("deploy-service not ready after 120 s");
    }

    private void awaitModelReady(int port, String model) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/models/" + model + "/ready"))
                    .header("X-Flywheel-Environment", ENV).build();
            if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(model + " is not ready to serve after 60 s");
    }

    /** Waits until every accepted prediction was acknowledged by Kafka (or nothing moves), then reads the counters. */
    private Counters awaitLogged(int port, boolean logOn) throws Exception {
        Counters last = counters(port);
        if (!logOn) {
            return last;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (last.sent() < last.accepted() && System.nanoTime() < deadline) {
            Thread.sleep(250);
            last = counters(port);
        }
        return last;
    }

    private Counters counters(int port) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return new Counters(metric(metrics, "deploy_prediction_log_accepted_total"), metric(metrics, "deploy_prediction_log_sent_total"),
                metric(metrics, "deploy_prediction_log_dropped_total"));
    }

    private static double metric(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? ([0-9.E+-]+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(2)) : Double.NaN;
    }

    private int status(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private void post(int port, String path, String json, int expected) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").header("X-Flywheel-Principal", "bench")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    // --- the registry ----------------------------------------------------------------------------

    private int register(String registry, String model) throws Exception {
        send(registry + "/api/v1/models", "POST", "{\"name\":\"" + model + "\",\"description\":\"serving benchmark\"}", 201);
        String signature = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Artifacts.logisticSignature(FEATURES));
        String created = send(registry + "/api/v1/models/" + model + "/versions", "POST",
                "{\"framework\":\"flywheel-linear\",\"format\":\"json\",\"signature\":" + signature + ",\"metrics\":{}}", 201);
        Matcher version = Pattern.compile("\"version\":(\\d+)").matcher(created);
        if (!version.find()) {
            throw new IllegalStateException("no version in " + created);
        }
        int v = Integer.parseInt(version.group(1));
        send(registry + "/api/v1/models/" + model + "/versions/" + v + "/artifact", "PUT", Artifacts.logistic(FEATURES), 200);
        return v;
    }

    private String send(String url, String method, String body, int expected) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
