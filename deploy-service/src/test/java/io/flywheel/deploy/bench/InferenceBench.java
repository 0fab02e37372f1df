package io.flywheel.deploy.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.flywheel.deploy.support.Artifacts;
import io.flywheel.deploy.support.OnnxModels;
import io.flywheel.internalauth.TestCallers;
import io.flywheel.onnx.OnnxGraph;
import io.flywheel.onnx.ValueSpec;
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
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The serving benchmark, on the packaged deploy-service, in one run:
 *
 * <ol>
 *   <li><b>Prediction log on vs off</b>: {@code POST /v2/models/{name}/infer} of a 20-feature
 *   flywheel-linear logistic model on two services side by side, one logging every prediction to
 *   Kafka, one not: the throughput of a closed loop at a fixed concurrency, and the latency at a fixed
 *   rate (500 req/s by default).</li>
 *   <li><b>ONNX through the runtime vs ONNX Runtime called directly</b>: two 20-feature ONNX models
 *   (a torch MLP 20-64-64-1 and an XGBoost ensemble of 100 trees, {@code onnx/bench_*20.onnx})
 *   registered with format {@code onnx}, served by the log-off service at batch 1 and 64 (the graph's
 *   FP32 [n, 20] tensor), beside the same model in an {@code OrtSession} of this JVM (same session
 *   options as the runtime's, same input rows: {@code OrtSession.run}, outputs copied out) as the
 *   baseline: p50/p99 at a fixed rate (2,000 req/s by default) and the highest throughput (a closed
 *   loop: 16 connections to the service, one thread per core for the direct calls). At batch 1 the
 *   log-on service is measured at the fixed rate too.</li>
 * </ol>
 *
 * <p>Every setting is measured once per round, the settings in alternation within a round (on a shared
 * machine the background load drifts); the report gives per-round lines, then medians over rounds and
 * ratios taken within a round (served vs direct, log on vs off). Latency at a fixed rate is counted from
 * the moment the request was due (open loop), so a stall is not hidden; both paths go through the same
 * pacer. The registry must be running (the models and their artifacts are registered there);
 * PostgreSQL and Kafka too.
 *
 * <pre>
 * ./mvnw -pl deploy-service -Pbench -DskipTests verify   [-Dbench.registry=http://127.0.0.1:8081 -Dbench.rounds=3 ...]
 * </pre>
 */
public final class InferenceBench {

    private static final String ENV = "bench";
    private static final int FEATURES = 20;
    private static final int VARIANTS = 32;
    /** The local Kafka broker, if it runs on this machine: its CPU is part of what the log costs here. */
    private static final ProcessHandle BROKER = ProcessHandle.allProcesses()
            .filter(p -> p.info().commandLine().map(c -> c.contains("kafka.Kafka")).orElse(false)).findFirst().orElse(null);

    private static final String LINEAR = "linear";
    private static final String LOG_ON = "log on";
    private static final String LOG_OFF = "log off";
    private static final String DIRECT = "direct";
    private static final String SERVED = "served";
    private static final String SERVED_LOG_ON = "served, log on";
    private static final String THROUGHPUT = "throughput";
    private static final String RATE = "rate";

    /**
     * One measurement: {@code group} is what was served (the linear model, or an ONNX model and batch),
     * {@code path} how (log on/off; direct, served), {@code phase} throughput (closed loop) or rate (paced).
     */
    private record Result(String group, String path, String phase, int round, int rows, int concurrency, long requests,
                          long errors, double seconds, Histogram latency, double cpuSeconds, double brokerCpuSeconds) {
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

        boolean is(String group, String path, String phase) {
            return this.group.equals(group) && this.path.equals(path) && this.phase.equals(phase);
        }
    }

    /** What a measurement loop saw. */
    private record Measured(long ok, long errors, double seconds, Histogram latency) {
    }

    private record Counters(double accepted, double sent, double dropped) {
    }

    /** Requests of one kind: a path, and bodies that differ in their inputs ({@code tail}s after the id). */
    private record Load(String path, List<String> tails, int rows) {
        Buffer body(long id) {
            return Buffer.buffer("{\"id\":\"b" + id + "\"," + tails.get((int) (id % tails.size())));
        }
    }

    /** An ONNX bench model: its file under onnx/, how it is registered, and what this run generated for it. */
    private static final class OnnxCase {
        final String label;
        final String file;
        final String framework;
        final String output;
        final byte[] bytes;
        final OnnxGraph graph;
        final String input;
        String model;
        int version;
        /** per batch size: the input rows of each variant (row-major [batch, 20]) and the served load */
        final Map<Integer, List<float[]>> rows = new LinkedHashMap<>();
        final Map<Integer, Load> loads = new LinkedHashMap<>();
        Direct direct;

        OnnxCase(String label, String file, String framework, String output) {
            this.label = label;
            this.file = file;
            this.framework = framework;
            this.output = output;
            this.bytes = OnnxModels.bytes(file);
            this.graph = OnnxGraph.read(bytes);
            ValueSpec in = graph.inputs().getFirst();
            if (graph.inputs().size() != 1 || in.rank() != 2 || in.shape().get(1) != FEATURES) {
                throw new IllegalStateException(file + " should take one [n, " + FEATURES + "] matrix; its inputs: " + graph.inputs());
            }
            this.input = in.name();
        }

        String describe() {
            return graph.inputs().stream().map(i -> i.name() + " " + i.description()).toList() + " -> "
                    + graph.outputs().stream().map(o -> o.name() + " " + o.description()).toList();
        }

        String group(int batch) {
            return label + " b" + batch;
        }
    }

    /**
     * The baseline: the same model in an ONNX Runtime session of this JVM, opened as the runtime opens
     * its own (onnx-model's OnnxModel.load: one intra-op and one inter-op thread, every optimisation), fed
     * the same rows as an FP32 tensor and its outputs copied into Java arrays, as the runtime does.
     */
    private static final class Direct implements AutoCloseable {
        private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
        private final OrtSession session;
        private final String input;
        /** keeps the outputs observable */
        private volatile double sink;

        Direct(byte[] model, String input) throws OrtException {
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(1);
                options.setInterOpNumThreads(1);
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                this.session = environment.createSession(model, options);
            }
            this.input = input;
        }

        boolean run(float[] rows, int batch) {
            try (OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(rows), new long[]{batch, FEATURES});
                 OrtSession.Result result = session.run(Map.of(input, tensor))) {
                double s = 0;
                for (Map.Entry<String, OnnxValue> output : result) {
                    OnnxTensor t = (OnnxTensor) output.getValue();
                    switch (t.getInfo().type) {
                        case FLOAT -> {
                            FloatBuffer b = t.getFloatBuffer();
                            float[] a = new float[b.remaining()];
                            b.get(a);
                            s += a[0];
                        }
                        case INT64 -> {
                            LongBuffer b = t.getLongBuffer();
                            long[] a = new long[b.remaining()];
                            b.get(a);
                            s += a[0];
                        }
                        default -> throw new IllegalStateException("unexpected output type " + t.getInfo().type);
                    }
                }
                sink = s;
                return true;
            } catch (OrtException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws OrtException {
            session.close();
        }
    }

    private final Map<String, String> args;
    private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    private final Load linear;

    private InferenceBench(Map<String, String> args) {
        this.args = args;
        Random random = new Random(42);
        List<String> tails = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            StringBuilder json = new StringBuilder("\"inputs\":[");
            for (int i = 0; i < FEATURES; i++) {
                if (i > 0) {
                    json.append(',');
                }
                json.append("{\"name\":\"x").append(i).append("\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[")
                        .append(String.format(Locale.ROOT, "%.4f", random.nextGaussian())).append("]}");
            }
            tails.add(json.append("]}").toString());
        }
        this.linear = new Load(null, tails, 1);
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

    private int intArg(String name, int fallback) {
        return Integer.parseInt(arg(name, String.valueOf(fallback)));
    }

    private void run() throws Exception {
        String registry = arg("registry", "http://127.0.0.1:8081");
        int concurrency = intArg("concurrency", 16);
        int rate = intArg("rate", 500);
        int seconds = intArg("seconds", 6);
        int rounds = intArg("rounds", 3);
        int warmup = intArg("warmup", 8);
        boolean withLinear = Boolean.parseBoolean(arg("linear", "true"));
        boolean withOnnx = Boolean.parseBoolean(arg("onnx", "true"));
        int onnxRate = intArg("onnx-rate", 2000);
        int onnxSeconds = intArg("onnx-seconds", 2);
        List<Integer> batches = Arrays.stream(arg("onnx-batches", "1,64").split(",")).map(String::trim).map(Integer::parseInt).toList();
        int directThreads = intArg("direct-threads", Runtime.getRuntime().availableProcessors());

        String linearModel = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        int linearVersion = 0;
        if (withLinear) {
            System.out.printf("bench: registering %s (%d-feature flywheel-linear logistic) in %s%n", linearModel, FEATURES, registry);
            linearVersion = register(registry, linearModel);
        }
        List<OnnxCase> onnx = new ArrayList<>();
        if (withOnnx) {
            onnx.add(new OnnxCase("mlp20", "bench_mlp20", "pytorch", "probability"));
            onnx.add(new OnnxCase("trees20", "bench_trees20", "xgboost", "label"));
            Random random = new Random(7);
            for (OnnxCase c : onnx) {
                c.model = "bench-" + c.label + "-" + UUID.randomUUID().toString().substring(0, 8);
                System.out.printf("bench: registering %s (format onnx, %s: %s) in %s%n", c.model, c.file, c.describe(), registry);
                c.version = registerOnnx(registry, c);
                for (int batch : batches) {
                    List<float[]> variants = new ArrayList<>();
                    List<String> tails = new ArrayList<>();
                    for (int v = 0; v < VARIANTS; v++) {
                        float[] data = new float[batch * FEATURES];
                        StringBuilder json = new StringBuilder("\"inputs\":[{\"name\":\"").append(c.input)
                                .append("\",\"datatype\":\"FP32\",\"shape\":[").append(batch).append(',').append(FEATURES)
                                .append("],\"data\":[");
                        for (int i = 0; i < data.length; i++) {
                            data[i] = Math.round(random.nextGaussian() * 1e4) / 1e4f;
                            json.append(i > 0 ? "," : "").append(data[i]);
                        }
                        variants.add(data);
                        tails.add(json.append("]}]}").toString());
                    }
                    c.rows.put(batch, variants);
                    c.loads.put(batch, new Load("/v2/models/" + c.model + "/infer", tails, batch));
                }
                c.direct = new Direct(c.bytes, c.input);
            }
        }

        // Both services run side by side (one idles while the other is measured).
        Map<Boolean, Integer> ports = new LinkedHashMap<>();
        Map<Boolean, Process> services = new LinkedHashMap<>();
        Map<Boolean, ProcessHandle> handles = new LinkedHashMap<>();
        List<Result> results = new ArrayList<>();
        Map<Boolean, Counters> counters = new LinkedHashMap<>();
        Vertx vertx = Vertx.vertx();
        try {
            for (boolean logOn : new boolean[]{true, false}) {
                int port = freePort();
                ports.put(logOn, port);
                services.put(logOn, start(port, registry, logOn));
                handles.put(logOn, services.get(logOn).toHandle());
                awaitReady(port, services.get(logOn));
            }
            // one deployment table: a promotion through either service serves on both
            List<String> models = new ArrayList<>();
            if (withLinear) {
                promote(ports.get(true), linearModel, linearVersion);
                models.add(linearModel);
            }
            for (OnnxCase c : onnx) {
                promote(ports.get(true), c.model, c.version);
                models.add(c.model);
            }
            Map<Boolean, HttpClient> clients = new LinkedHashMap<>();
            for (boolean logOn : new boolean[]{true, false}) {
                for (String model : models) {
                    awaitModelReady(ports.get(logOn), model);
                }
                clients.put(logOn, vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                        .setDefaultPort(ports.get(logOn)).setKeepAlive(true).setPipelining(false),
                        new PoolOptions().setHttp1MaxSize(concurrency)));
            }
            Load linearLoad = new Load("/v2/models/" + linearModel + "/infer", linear.tails(), 1);
            if (withLinear) {
                for (boolean logOn : new boolean[]{true, false}) {
                    System.out.printf("bench: linear, prediction log %s: warming up %d s%n", logOn ? "on" : "off", warmup);
                    closedLoop(LINEAR, logOn ? LOG_ON : LOG_OFF, 0, clients.get(logOn), handles.get(logOn), linearLoad, concurrency,
                            warmup);
                }
            }
            for (OnnxCase c : onnx) {
                for (int batch : batches) {
                    System.out.printf("bench: %s batch %d: warming up%n", c.label, batch);
                    closedLoop(c.group(batch), SERVED, 0, clients.get(false), handles.get(false), c.loads.get(batch), concurrency,
                            Math.max(2, warmup / 4));
                    if (batch == 1) {
                        closedLoop(c.group(batch), SERVED_LOG_ON, 0, clients.get(true), handles.get(true), c.loads.get(batch), concurrency,
                                1);
                    }
                    directLoop(c, batch, 0, directThreads, Math.max(1, warmup / 8));
                }
            }
            for (int round = 1; round <= rounds; round++) {
                System.out.printf("bench: round %d of %d (load average %s)%n", round, rounds, loadAverage());
                boolean[] order = round % 2 == 1 ? new boolean[]{true, false} : new boolean[]{false, true};
                if (withLinear) {
                    for (boolean logOn : order) {
                        results.add(closedLoop(LINEAR, logOn ? LOG_ON : LOG_OFF, round, clients.get(logOn), handles.get(logOn), linearLoad,
                                concurrency, seconds));
                    }
                    for (boolean logOn : order) {
                        results.add(pacedHttp(LINEAR, logOn ? LOG_ON : LOG_OFF, round, clients.get(logOn), handles.get(logOn), linearLoad,
                                rate, concurrency, seconds));
                    }
                }
                for (OnnxCase c : onnx) {
                    for (int batch : batches) {
                        String group = c.group(batch);
                        Load load = c.loads.get(batch);
                        // served and direct alternate which goes first, round by round
                        for (boolean direct : order) {
                            if (direct) {
                                results.add(pacedDirect(c, batch, round, onnxRate, onnxSeconds));
                            } else {
                                results.add(pacedHttp(group, SERVED, round, clients.get(false), handles.get(false), load, onnxRate,
                                        concurrency, onnxSeconds));
                            }
                        }
                        if (batch == 1) {
                            results.add(pacedHttp(group, SERVED_LOG_ON, round, clients.get(true), handles.get(true), load, onnxRate,
                                    concurrency, onnxSeconds));
                        }
                        for (boolean direct : order) {
                            if (direct) {
                                results.add(directLoop(c, batch, round, directThreads, onnxSeconds));
                            } else {
                                results.add(closedLoop(group, SERVED, round, clients.get(false), handles.get(false), load, concurrency,
                                        onnxSeconds));
                            }
                        }
                    }
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
            for (OnnxCase c : onnx) {
                if (c.direct != null) {
                    c.direct.close();
                }
            }
        }
        report(withLinear ? linearModel : null, onnx, batches, concurrency, rate, onnxRate, directThreads, rounds, results, counters);
    }

    // --- measuring -------------------------------------------------------------------------------

    /** {@code concurrency} loops over HTTP, each sending its next request when the previous answer arrived. */
    private Result closedLoop(String group, String path, int round, HttpClient client, ProcessHandle service, Load load,
                              int concurrency, int seconds) throws Exception {
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
            loop(client, load, end, latency, ok, errors, ids, done);
        }
        CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(seconds + 30L, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        Result r = new Result(group, path, THROUGHPUT, round, load.rows(), concurrency, ok.get(), errors.get(), elapsed, latency,
                cpu(service) - cpuBefore, cpu(BROKER) - brokerBefore);
        if (round > 0) {
            print(r);
        }
        return r;
    }

    private void loop(HttpClient client, Load load, long end, Histogram latency, AtomicLong ok, AtomicLong errors,
                      AtomicLong ids, CompletableFuture<Void> done) {
        if (System.nanoTime() >= end) {
            done.complete(null);
            return;
        }
        long sent = System.nanoTime();
        send(client, load, ids.incrementAndGet()).onComplete(result -> {
            latency.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
            if (result.succeeded() && result.result() == 200) {
                ok.incrementAndGet();
            } else {
                errors.incrementAndGet();
            }
            loop(client, load, end, latency, ok, errors, ids, done);
        });
    }

    /** One thread per core calling the model directly, each its next call when the previous one returned. */
    private Result directLoop(OnnxCase c, int batch, int round, int threads, int seconds) throws Exception {
        List<float[]> rows = c.rows.get(batch);
        Histogram latency = new SynchronizedHistogram(TimeUnit.SECONDS.toMicros(10), 3);
        AtomicLong ok = new AtomicLong();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t * 7;
            workers.add(Thread.ofPlatform().name("bench-direct-" + t).start(() -> {
                Histogram mine = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
                long n = 0;
                long now = System.nanoTime();
                while (now < end) {
                    c.direct.run(rows.get((int) ((n + offset) % rows.size())), batch);
                    long after = System.nanoTime();
                    mine.recordValue(Math.max(1, (after - now) / 1000));
                    now = after;
                    n++;
                }
                ok.addAndGet(n);
                latency.add(mine);
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Result r = new Result(c.group(batch), DIRECT, THROUGHPUT, round, batch, threads, ok.get(), 0, elapsed, latency, Double.NaN,
                Double.NaN);
        if (round > 0) {
            print(r);
        }
        return r;
    }

    private Result pacedHttp(String group, String path, int round, HttpClient client, ProcessHandle service, Load load, int rate,
                             int cap, int seconds) throws Exception {
        double cpuBefore = cpu(service);
        double brokerBefore = cpu(BROKER);
        AtomicLong ids = new AtomicLong();
        Measured m = paced(rate, cap, seconds, i -> send(client, load, ids.incrementAndGet())
                .map(status -> status == 200).toCompletionStage());
        Result r = new Result(group, path, RATE, round, load.rows(), cap, m.ok(), m.errors(), m.seconds(), m.latency(),
                cpu(service) - cpuBefore, cpu(BROKER) - brokerBefore);
        print(r);
        return r;
    }

    /** The direct calls through the same pacer: run on the pacer's thread, one at a time. */
    private Result pacedDirect(OnnxCase c, int batch, int round, int rate, int seconds) throws Exception {
        List<float[]> rows = c.rows.get(batch);
        Measured m = paced(rate, 1, seconds, i -> CompletableFuture.completedFuture(c.direct.run(rows.get((int) (i % rows.size())), batch)));
        Result r = new Result(c.group(batch), DIRECT, RATE, round, batch, 1, m.ok(), m.errors(), m.seconds(), m.latency(), Double.NaN,
                Double.NaN);
        print(r);
        return r;
    }

    private interface Call {
        CompletionStage<Boolean> call(long i);
    }

    /**
     * Open loop at {@code rate} calls per second (at most {@code cap} under way): a pacer thread parks
     * until each call is due and makes it; each latency is counted from the moment the call was due, so
     * queueing behind a slow answer is measured.
     */
    private static Measured paced(int rate, int cap, int seconds, Call call) throws Exception {
        Histogram latency = new SynchronizedHistogram(TimeUnit.SECONDS.toMicros(10), 3);
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicInteger inFlight = new AtomicInteger();
        long total = (long) rate * seconds;
        double interval = 1e9 / rate;
        CompletableFuture<Void> finished = new CompletableFuture<>();
        AtomicLong completed = new AtomicLong();
        long start = System.nanoTime() + 1_000_000;
        Thread pacer = Thread.ofPlatform().name("bench-pacer").start(() -> {
            for (long i = 0; i < total; i++) {
                long due = start + (long) (i * interval);
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                while (inFlight.get() >= cap) {
                    LockSupport.parkNanos(20_000);
                }
                inFlight.incrementAndGet();
                CompletionStage<Boolean> answer;
                try {
                    answer = call.call(i);
                } catch (RuntimeException e) {
                    answer = CompletableFuture.failedFuture(e);
                }
                answer.whenComplete((good, error) -> {
                    latency.recordValue(Math.max(1, (System.nanoTime() - due) / 1000));
                    (error == null && Boolean.TRUE.equals(good) ? ok : errors).incrementAndGet();
                    inFlight.decrementAndGet();
                    if (completed.incrementAndGet() == total) {
                        finished.complete(null);
                    }
                });
            }
        });
        finished.get(seconds + 60L, TimeUnit.SECONDS);
        pacer.join();
        return new Measured(ok.get(), errors.get(), (System.nanoTime() - start) / 1e9, latency);
    }

    private static void print(Result r) {
        String load = r.phase().equals(THROUGHPUT) ? "c=" + r.concurrency() : "@" + Math.round(r.requests() / r.seconds()) + "/s";
        System.out.printf(Locale.ROOT, "bench: %-12s %-15s %-10s %-9s %9.0f req/s  p50 %7.3f ms  p99 %7.3f ms  cpu %6.1f ms/1k  errors %d%n",
                r.group(), r.path(), r.phase(), load, r.rps(), r.ms(50), r.ms(99), r.cpuMsPerThousand(), r.errors());
    }

    /** the load's internal token, as the gateway would send it (signed once: a run takes well under its 5 minutes) */
    private static final String BEARER = TestCallers.bearer("bench");

    private Future<Integer> send(HttpClient client, Load load, long id) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(load.path())
                .putHeader("Content-Type", "application/json").putHeader("X-Flywheel-Environment", ENV)
                .putHeader("Authorization", BEARER);
        return client.request(options)
                .compose(request -> request.send(load.body(id)))
                .compose(response -> response.body().map(ignored -> response.statusCode()));
    }

    // --- the report ------------------------------------------------------------------------------

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().filter(v -> !Double.isNaN(v)).sorted().toList();
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double median(List<Result> results, Predicate<Result> which, ToDoubleFunction<Result> value) {
        return median(results.stream().filter(r -> r.round() > 0 && which.test(r)).map(r -> value.applyAsDouble(r)).toList());
    }

    /** The median over rounds of f(a, b), a and b measured in the same round. */
    private static double pairedMedian(List<Result> results, Predicate<Result> a, Predicate<Result> b, ToDoubleFunction<Result> value,
                                       java.util.function.DoubleBinaryOperator f) {
        List<Double> values = new ArrayList<>();
        for (Result x : results) {
            if (x.round() > 0 && a.test(x)) {
                results.stream().filter(y -> y.round() == x.round() && b.test(y)).findFirst()
                        .ifPresent(y -> values.add(f.applyAsDouble(value.applyAsDouble(x), value.applyAsDouble(y))));
            }
        }
        return median(values);
    }

    private static Predicate<Result> of(String group, String path, String phase) {
        return r -> r.is(group, path, phase);
    }

    private void report(String linearModel, List<OnnxCase> onnx, List<Integer> batches, int concurrency, int rate, int onnxRate,
                        int directThreads, int rounds, List<Result> results, Map<Boolean, Counters> counters) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nServing benchmark: the packaged deploy-service, POST /v2/models/{name}/infer, %d rounds%n",
                rounds));
        out.append(String.format(Locale.ROOT, "machine: %d cores, load average now %s; load generator, Kafka and the registry on the same "
                + "machine%n", Runtime.getRuntime().availableProcessors(), loadAverage()));
        out.append(String.format(Locale.ROOT, "%nEvery measurement:%n%-13s %-15s %-7s %-12s %11s %9s %9s %9s %14s %14s %8s%n", "model",
                "path", "round", "load", "req/s", "p50 ms", "p99 ms", "p99.9 ms", "cpu ms/1k req", "broker ms/1k", "errors"));
        for (Result r : results) {
            String load = r.phase().equals(THROUGHPUT) ? (r.path().equals(DIRECT) ? r.concurrency() + " threads" : "c=" + r.concurrency())
                    : (r.group().equals(LINEAR) ? rate : onnxRate) + "/s";
            out.append(String.format(Locale.ROOT, "%-13s %-15s %-7d %-12s %11.0f %9.3f %9.3f %9.3f %14.1f %14.1f %8d%n", r.group(),
                    r.path(), r.round(), load, r.rps(), r.ms(50), r.ms(99), r.ms(99.9), r.cpuMsPerThousand(), r.brokerMsPerThousand(),
                    r.errors()));
        }

        if (!onnx.isEmpty()) {
            out.append(String.format(Locale.ROOT, "%nONNX: served by deploy-service (FP32 [n, %d] tensor over HTTP, prediction log off unless "
                    + "said) vs ONNX Runtime called directly in the benchmark's JVM (OrtSession.run, same rows, same session options), "
                    + "medians over %d rounds; 'added' and 'x' are medians of the per-round differences and ratios (served vs direct "
                    + "in the same round). Latency at a fixed %,d req/s; max = closed loop (%d connections; direct: %d threads).%n",
                    FEATURES, rounds, onnxRate, concurrency, directThreads));
            out.append(String.format(Locale.ROOT, "%-10s %5s %-15s %9s %9s %12s %8s %11s %12s %10s%n", "model", "batch", "path", "p50 ms",
                    "p99 ms", "added p50", "p50 x", "max req/s", "max rows/s", "max x"));
            List<String> missed = new ArrayList<>();
            for (OnnxCase c : onnx) {
                for (int batch : batches) {
                    String g = c.group(batch);
                    for (String path : List.of(DIRECT, SERVED, SERVED_LOG_ON)) {
                        if (results.stream().noneMatch(r -> r.group().equals(g) && r.path().equals(path))) {
                            continue;
                        }
                        double p50 = median(results, of(g, path, RATE), r -> r.ms(50));
                        double p99 = median(results, of(g, path, RATE), r -> r.ms(99));
                        double max = median(results, of(g, path, THROUGHPUT), Result::rps);
                        String added = "";
                        String p50x = "";
                        String maxX = "";
                        if (!path.equals(DIRECT)) {
                            double add = pairedMedian(results, of(g, path, RATE), of(g, DIRECT, RATE), r -> r.ms(50), (a, b) -> a - b);
                            added = String.format(Locale.ROOT, "%+.3f ms", add);
                            p50x = String.format(Locale.ROOT, "%.1f", pairedMedian(results, of(g, path, RATE), of(g, DIRECT, RATE),
                                    r -> r.ms(50), (a, b) -> a / b));
                            double mx = pairedMedian(results, of(g, path, THROUGHPUT), of(g, DIRECT, THROUGHPUT), Result::rps,
                                    (a, b) -> a / b);
                            maxX = Double.isNaN(mx) ? "" : String.format(Locale.ROOT, "%.2f", mx);
                            if (add > 0.3) {
                                missed.add(String.format(Locale.ROOT, "%s batch %d %s (%+.3f ms)", c.label, batch, path, add));
                            }
                        }
                        out.append(String.format(Locale.ROOT, "%-10s %5d %-15s %9.3f %9.3f %12s %8s %11s %12s %10s%n", c.label, batch, path,
                                p50, p99, added, p50x, Double.isNaN(max) ? "" : String.format(Locale.ROOT, "%.0f", max),
                                Double.isNaN(max) ? "" : String.format(Locale.ROOT, "%.0f", max * batch), maxX));
                    }
                }
            }
            out.append(String.format(Locale.ROOT, "goal <= 0.3 ms added at p50 (at %,d req/s): %s%n", onnxRate,
                    missed.isEmpty() ? "met for every model, batch and path" : "NOT met for " + String.join(", ", missed)));
        }

        if (linearModel != null) {
            out.append(String.format(Locale.ROOT, "%nPrediction log on vs off: %s, %d-feature flywheel-linear logistic model, medians over %d "
                    + "rounds%n", linearModel, FEATURES, rounds));
            out.append(String.format(Locale.ROOT, "%-16s %-10s %11s %9s %9s %14s %14s%n", "prediction log", "load", "req/s", "p50 ms",
                    "p99 ms", "cpu ms/1k req", "broker ms/1k"));
            for (String phase : List.of(THROUGHPUT, RATE)) {
                for (String path : List.of(LOG_ON, LOG_OFF)) {
                    Predicate<Result> which = of(LINEAR, path, phase);
                    out.append(String.format(Locale.ROOT, "%-16s %-10s %11.0f %9.3f %9.3f %14.1f %14.1f%n", path.substring(4),
                            phase.equals(THROUGHPUT) ? "c=" + concurrency : rate + "/s", median(results, which, Result::rps),
                            median(results, which, r -> r.ms(50)), median(results, which, r -> r.ms(99)),
                            median(results, which, Result::cpuMsPerThousand), median(results, which, Result::brokerMsPerThousand)));
                }
            }
            List<Double> costs = new ArrayList<>();
            for (Result on : results) {
                if (on.round() > 0 && on.is(LINEAR, LOG_ON, THROUGHPUT)) {
                    results.stream().filter(off -> off.round() == on.round() && off.is(LINEAR, LOG_OFF, THROUGHPUT)).findFirst()
                            .ifPresent(off -> costs.add(100.0 * (1 - on.rps() / off.rps())));
                }
            }
            double cost = median(costs);
            out.append(String.format(Locale.ROOT, "logging cost: %.1f%% of throughput (median of the rounds: %s), goal <= 5%%: %s%n", cost,
                    String.join(", ", costs.stream().map(x -> String.format(Locale.ROOT, "%.1f%%", x)).toList()),
                    cost <= 5.0 ? "met" : "NOT met"));
            double cpuCost = pairedMedian(results, of(LINEAR, LOG_ON, RATE), of(LINEAR, LOG_OFF, RATE), Result::cpuMsPerThousand,
                    (a, b) -> 100.0 * (a / b - 1));
            out.append(String.format(Locale.ROOT, "logging cost at %d req/s: %.1f%% more service CPU per answer%n", rate, cpuCost));
            double pacedP99 = median(results, of(LINEAR, LOG_ON, RATE), r -> r.ms(99));
            out.append(String.format(Locale.ROOT, "goal p99 <= 5 ms at %d req/s with the log on: %s (median p99 %.2f ms)%n", rate,
                    pacedP99 <= 5.0 ? "met" : "NOT met", pacedP99));
        }
        Counters logged = counters.get(true);
        if (logged != null) {
            out.append(String.format(Locale.ROOT, "prediction log (on): accepted %.0f, sent to Kafka %.0f, dropped %.0f%n",
                    logged.accepted(), logged.sent(), logged.dropped()));
        }
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
        String postgres = arg("postgres", "127.0.0.1:5432");
        List<String> command = new ArrayList<>(List.of(arg("java", "java"), "-Xmx512m",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                // the stack's (./flywheel's local one by default; FLYWHEEL_STACK=test passes the test one's)
                "-Dkafka.bootstrap.servers=" + arg("kafka", "127.0.0.1:9092"),
                "-Dquarkus.datasource.reactive.url=postgresql://" + postgres + "/flywheel",
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://" + postgres + "/flywheel",
                "-Dquarkus.http.access-log.enabled=" + arg("access-log", "false"),
                "-Ddeploy.environments=" + ENV,
                "-Ddeploy.registry.url=" + registry,
                "-Ddeploy.prediction-log.enabled=" + logOn,
                "-Ddeploy.prediction-log.compression=" + arg("compression", "none"),
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
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
        builder.environment().put("FLYWHEEL_INTERNAL_SECRET", TestCallers.secret());
        return builder.start();
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

    private void promote(int port, String model, int version) throws Exception {
        post(port, "/api/v1/deployments/" + model + "/" + ENV + "/promotions",
                "{\"version\":" + version + ",\"strategy\":\"replace\",\"reason\":\"benchmark\"}", 201);
    }

    private void awaitModelReady(int port, String model) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/models/" + model + "/ready"))
                    .header("X-Flywheel-Environment", ENV).header("Authorization", TestCallers.bearer("bench")).build();
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
                .header("Content-Type", "application/json").header("Authorization", TestCallers.bearer("bench"))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    // --- the registry ----------------------------------------------------------------------------

    private int register(String registry, String model) throws Exception {
        createModel(registry, model);
        String signature = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Artifacts.logisticSignature(FEATURES));
        int v = draft(registry, model, "{\"framework\":\"flywheel-linear\",\"format\":\"json\",\"signature\":" + signature
                + ",\"metrics\":{}}");
        upload(registry + "/api/v1/models/" + model + "/versions/" + v + "/artifact", "application/json",
                HttpRequest.BodyPublishers.ofString(Artifacts.logistic(FEATURES), StandardCharsets.UTF_8));
        return v;
    }

    /** As the tests register ONNX versions (RegistryFixture.onnxVersion): format onnx, a signature naming x0..x19, the file's bytes. */
    private int registerOnnx(String registry, OnnxCase c) throws Exception {
        createModel(registry, c.model);
        String signature = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(OnnxModels.signature(FEATURES, c.output));
        int v = draft(registry, c.model, "{\"framework\":\"" + c.framework + "\",\"format\":\"onnx\",\"signature\":" + signature
                + ",\"metrics\":{}}");
        upload(registry + "/api/v1/models/" + c.model + "/versions/" + v + "/artifact", "application/octet-stream",
                HttpRequest.BodyPublishers.ofByteArray(c.bytes));
        return v;
    }

    private void createModel(String registry, String model) throws Exception {
        send(registry + "/api/v1/models", "POST", "application/json",
                HttpRequest.BodyPublishers.ofString("{\"name\":\"" + model + "\",\"description\":\"serving benchmark\"}"), 201);
    }

    private int draft(String registry, String model, String body) throws Exception {
        String created = send(registry + "/api/v1/models/" + model + "/versions", "POST", "application/json",
                HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8), 201);
        Matcher version = Pattern.compile("\"version\":(\\d+)").matcher(created);
        if (!version.find()) {
            throw new IllegalStateException("no version in " + created);
        }
        return Integer.parseInt(version.group(1));
    }

    private void upload(String url, String contentType, HttpRequest.BodyPublisher body) throws Exception {
        send(url, "PUT", contentType, body, 200);
    }

    private String send(String url, String method, String contentType, HttpRequest.BodyPublisher body, int expected) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .header("Authorization", TestCallers.bearer("bench")).method(method, body).build(), HttpResponse.BodyHandlers.ofString());
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
