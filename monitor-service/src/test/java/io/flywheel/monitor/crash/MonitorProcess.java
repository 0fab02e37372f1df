package io.flywheel.monitor.crash;

import io.flywheel.events.FeedbackReceived;
import io.flywheel.events.PredictionLogged;
import io.flywheel.internalauth.TestCallers;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged monitor (target/quarkus-app/quarkus-run.jar) as a separate process with settings of
 * its own (port, topics, consumer groups; database flywheel_test), for the crash test and the
 * end-to-end benchmark: start, feed, read status, kill -9. It runs against the test stack, whose
 * addresses the parent pom gives the test JVM ({@code flywheel.test.kafka}, {@code .postgres}, {@code .s3}).
 */
public final class MonitorProcess implements AutoCloseable {

    // the test stack's, as the parent pom tells the test JVM (the benchmark, run outside it, uses the defaults)
    public static final String BOOTSTRAP = System.getProperty("flywheel.test.kafka", "127.0.0.1:19092");
    private static final String DATABASE = "postgresql://" + System.getProperty("flywheel.test.postgres", "127.0.0.1:15432") + "/flywheel_test";
    private static final String S3 = System.getProperty("flywheel.test.s3", "http://127.0.0.1:19000");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String jar;
    private final int port;
    private final String run;
    private final File log;
    private final List<String> extraArgs;
    private Process process;

    public MonitorProcess(String jar, int port, String run) {
        this(jar, port, run, run);
    }

    /**
     * A replica of the run's monitor: the same topics and consumer groups as every other of that
     * run; {@code name} names its log and its consumers' client id, so Kafka's group shows whose
     * partitions are whose.
     */
    public MonitorProcess(String jar, int port, String run, String name) {
        this.jar = jar;
        this.port = port;
        this.run = run;
        this.log = new File(new File(jar).getParentFile().getParentFile(), "monitor-" + name + ".log");
        this.extraArgs = name.equals(run) ? List.of() : List.of(
                "-Dmp.messaging.incoming.predictions.client.id=" + name,
                "-Dmp.messaging.incoming.feedback.client.id=" + name + "-feedback");
    }

    @Override
    public String toString() {
        return "the monitor on :" + port;
    }

    /** The consumer group of the run's prediction consumers. */
    public String group() {
        return "monitor-" + run;
    }

    public String inferenceTopic() {
        return "test.flywheel.inference." + run;
    }

    public String feedbackTopic() {
        return "test.flywheel.feedback." + run;
    }

    public void start(boolean clean) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.datasource.reactive.url=" + DATABASE,
                "-Dquarkus.datasource.jdbc.url=jdbc:" + DATABASE,
                "-Dkafka.bootstrap.servers=" + BOOTSTRAP,
                "-Dflywheel.s3.endpoint=" + S3,
                "-Dquarkus.flyway.clean-at-start=" + clean,
                "-Dquarkus.flyway.clean-disabled=false",
                "-Dquarkus.log.level=WARN",
                "-Dflywheel.s3.bucket=flywheel-test",
                "-Dmonitor.evaluation-interval=2s",
                "-Dmp.messaging.incoming.predictions.topic=" + inferenceTopic(),
                "-Dmp.messaging.incoming.predictions.group.id=" + group(),
                "-Dmp.messaging.incoming.predictions.auto.commit.interval.ms=1000",
                "-Dmp.messaging.incoming.feedback.topic=" + feedbackTopic(),
                "-Dmp.messaging.incoming.feedback.group.id=monitor-" + run,
                "-Dmp.messaging.incoming.feedback.dead-letter-queue.topic=test.flywheel.dlq.monitor",
                "-Dmp.messaging.incoming.deployments.topic=test.flywheel.deploy." + run,
                "-Dmp.messaging.incoming.deployments.group.id=monitor-" + run,
                "-Dmp.messaging.incoming.deployments.dead-letter-queue.topic=test.flywheel.dlq.monitor",
                "-Dmp.messaging.outgoing.monitor-events.topic=test.flywheel.monitor." + run,
                // LLM traces: a topic and group of its own, so it never takes the test stack's monitor's partitions
                "-Dmp.messaging.incoming.traces.topic=test.flywheel.traces." + run,
                "-Dmp.messaging.incoming.traces.group.id=monitor-" + run,
                "-Dmp.messaging.outgoing.dead-letters.topic=test.flywheel.dlq.monitor",
                "-Dquarkus.log.category.\"io.flywheel.monitor.ingest\".level=INFO"));
        cmd.addAll(extraArgs);
        cmd.addAll(List.of("-jar", jar));
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        builder.environment().put("FLYWHEEL_INTERNAL_SECRET", TestCallers.secret());
        process = builder.start();
        await(Duration.ofSeconds(90), () -> get("/q/health/ready").statusCode() == 200);
    }

    /** kill -9: no shutdown hook, no last save. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** A graceful stop (SIGTERM): the last state is saved. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public void postReference(String model, String csv) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/v1/monitoring/" + model + "/versions/1/reference"))
                .header("Content-Type", "text/csv").header("Authorization", TestCallers.bearer("crash-test")).POST(HttpRequest.BodyPublishers.ofString(csv)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("reference not fitted: " + r.statusCode() + " " + r.body());
        }
    }

    public void putPolicy(String model, String json) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/v1/monitoring/" + model + "/policy"))
                .header("Content-Type", "application/json").header("Authorization", TestCallers.bearer("crash-test")).PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("policy refused: " + r.statusCode() + " " + r.body());
        }
    }

    /** Predictions counted for the model (status endpoint). */
    public long predictions(String model) {
        HttpResponse<String> r = get("/api/v1/monitoring/" + model + "/status");
        Matcher m = Pattern.compile("\"predictions\":(\\d+)").matcher(r.body());
        return r.statusCode() == 200 && m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    public String status(String model) {
        return get("/api/v1/monitoring/" + model + "/status").body();
    }

    /** Labelled predictions in the model's latest evaluated window (status endpoint); -1 while there is none. */
    public long labelled(String model) {
        HttpResponse<String> r = get("/api/v1/monitoring/" + model + "/status");
        Matcher m = Pattern.compile("\"labelled\":(\\d+)").matcher(r.body());
        return r.statusCode() == 200 && m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The status code of {@code /q/health/ready}; -1 when nothing answers within 10 s. */
    public int readiness() {
        return get("/q/health/ready").statusCode();
    }

    /** A counter of {@code /q/metrics} by its Prometheus name and outcome tag; -1 when it is not there. */
    public double counter(String name, String outcome) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*outcome=\"" + Pattern.quote(outcome)
                + "\"[^}]*} (\\S+)$").matcher(get("/q/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                            .header("Authorization", TestCallers.bearer("crash-test"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new FakeResponse(-1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static void await(Duration max, BooleanSupplier condition) {
        Instant until = Instant.now().plus(max);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(until)) {
                throw new IllegalStateException("not within " + max);
            }
            try {
                Thread.sleep(200); // polling a separate process: Awaitility is for the tests themselves
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** A reference sample of {@code features} numeric features x0..x{n-1} (2000 rows), as CSV. */
    public static String referenceCsv(int features) {
        SplittableRandom rnd = new SplittableRandom(11);
        StringBuilder csv = new StringBuilder();
        for (int f = 0; f < features; f++) {
            csv.append(f == 0 ? "" : ",").append("x").append(f);
        }
        csv.append('\n');
        for (int r = 0; r < 2000; r++) {
            for (int f = 0; f < features; f++) {
                csv.append(f == 0 ? "" : ",").append(rnd.nextGaussian());
            }
            csv.append('\n');
        }
        return csv.toString();
    }

    /** n predictions with {@code features} features each, 1 s of event time per 1000. */
    public static List<ProducerRecord<String, String>> predictions(String topic, String model, int n, int features, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Instant t0 = Instant.parse("2026-11-26T10:00:00Z");
        List<ProducerRecord<String, String>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StringBuilder inputs = new StringBuilder("{");
            for (int f = 0; f < features; f++) {
                inputs.append(f == 0 ? "" : ",").append("\"x").append(f).append("\":").append(rnd.nextGaussian());
            }
            inputs.append('}');
            String payload = """
                    {"request_id":"%s-%d","model":"%s","version":1,"inputs":%s,"output":%s,"time":"%s"}"""
                    .formatted(model, i, model, inputs, rnd.nextDouble(), t0.plusMillis(i).toString());
            out.add(new ProducerRecord<>(topic, null, model, payload, cloudEvent(PredictionLogged.TYPE)));
        }
        return out;
    }

    /** Labels (0 or 1) of the predictions {@code from} to {@code to - 1} that {@link #predictions} made for the model. */
    public static List<ProducerRecord<String, String>> labels(String topic, String model, int from, int to) {
        Instant t0 = Instant.parse("2026-11-26T11:00:00Z");
        List<ProducerRecord<String, String>> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            String payload = """
                    {"request_id":"%s-%d","model":"%s","label":%d,"time":"%s"}"""
                    .formatted(model, i, model, i % 2, t0.plusMillis(i).toString());
            out.add(new ProducerRecord<>(topic, null, model, payload, cloudEvent(FeedbackReceived.TYPE)));
        }
        return out;
    }

    private static RecordHeaders cloudEvent(String type) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        headers.add("ce_type", type.getBytes(StandardCharsets.UTF_8));
        headers.add("ce_source", "bench".getBytes(StandardCharsets.UTF_8));
        headers.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    public static void produce(List<ProducerRecord<String, String>> records) {
        try (KafkaCompanion kafka = new KafkaCompanion(BOOTSTRAP)) {
            kafka.produceStrings().fromRecords(records).awaitCompletion(Duration.ofMinutes(5));
        }
    }

    private record FakeResponse(int statusCode) implements HttpResponse<String> {
        public HttpRequest request() { return null; }
        public java.util.Optional<HttpResponse<String>> previousResponse() { return java.util.Optional.empty(); }
        public java.net.http.HttpHeaders headers() { return java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true); }
        public String body() { return ""; }
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return java.util.Optional.empty(); }
        public URI uri() { return null; }
        public HttpClient.Version version() { return HttpClient.Version.HTTP_1_1; }
    }
}
