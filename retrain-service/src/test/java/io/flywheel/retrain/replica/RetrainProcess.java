package io.flywheel.retrain.replica;

import io.flywheel.internalauth.TestCallers;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;

/**
 * The packaged retrain-service (target/quarkus-app/quarkus-run.jar) as a separate process with the
 * %test settings (the test stack's Kafka, S3 and registry; short leases), a port of its own, the
 * run's own Kafka topics and the database {@code flywheel_replicas} (the test stack's, for these
 * tests alone: another test's jobs left pending in flywheel_test would take the replicas' slots):
 * a replica that a test can start and kill -9.
 */
final class RetrainProcess implements AutoCloseable {

    static final String DATABASE = "postgresql://" + System.getProperty("flywheel.test.postgres", "127.0.0.1:15432") + "/flywheel_replicas";

    private static final Pattern OWNER = Pattern.compile("retrain worker (\\S+): up to");

    private final String jar;
    private final int port;
    private final String run;
    private final File log;
    private Process process;

    RetrainProcess(String jar, int port, String run, String name) {
        this.jar = jar;
        this.port = port;
        this.run = run;
        this.log = new File(new File(jar).getParentFile().getParentFile(), "retrain-" + name + ".log");
    }

    /** The topic the run's replicas send their events to. */
    String outboxTopic() {
        return "test.flywheel.retrain." + run;
    }

    /** {@code clean}: the first replica wipes the database (Flyway clean), so each run starts from an empty queue. */
    void start(boolean clean) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = List.of(java, "-Xmx256m",
                // as the launcher runs it: ONNX Runtime's JNI library, protobuf-java's Unsafe (onnx-model/README.md)
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Dquarkus.profile=test",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.datasource.reactive.url=" + DATABASE,
                "-Dquarkus.datasource.jdbc.url=jdbc:" + DATABASE,
                "-Dquarkus.flyway.clean-at-start=" + clean,
                "-Dflywheel.test.postgres=" + System.getProperty("flywheel.test.postgres", "127.0.0.1:15432"),
                "-Dflywheel.test.kafka=" + System.getProperty("flywheel.test.kafka", "127.0.0.1:19092"),
                "-Dflywheel.test.s3=" + System.getProperty("flywheel.test.s3", "http://127.0.0.1:19000"),
                "-Dflywheel.test.registry=" + System.getProperty("flywheel.test.registry", "http://127.0.0.1:18081"),
                "-Dflywheel.test.llm=" + System.getProperty("flywheel.test.llm", "http://127.0.0.1:18090/v1"),
                "-Dmp.messaging.incoming.monitor-events.topic=test.flywheel.monitor." + run,
                "-Dmp.messaging.outgoing.outbox.topic=" + outboxTopic(),
                "-jar", jar);
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        builder.environment().put("FLYWHEEL_TEST_INTERNAL_SECRET", TestCallers.secret());
        process = builder.start();
        await(Duration.ofSeconds(90), () -> {
            try {
                return api().get("/q/health/ready").statusCode() == 200;
            } catch (Exception e) { // RestAssured throws ConnectException unchecked, while the process starts
                return false;
            }
        });
    }

    /** The id its worker holds leases under, from the line it logs when it starts (its first poll, after readiness). */
    String workerId() {
        String[] found = new String[1];
        await(Duration.ofSeconds(30), () -> {
            try {
                Matcher m = OWNER.matcher(Files.readString(log.toPath()));
                while (m.find()) {
                    found[0] = m.group(1); // the log is appended to: the last start's line
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return found[0] != null;
        });
        return found[0];
    }

    RequestSpecification api() {
        return given().baseUri("http://127.0.0.1").port(port).basePath("")
                .header("Authorization", TestCallers.bearer("replica-test"));
    }

    String startJob(String model) {
        return api().contentType("application/json").body(java.util.Map.of("model", model, "reason", "replica test"))
                .post("/api/v1/retrain/jobs").then().statusCode(201).extract().path("id");
    }

    JsonPath job(String id) {
        return api().get("/api/v1/retrain/jobs/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** kill -9: no shutdown hook, its jobs keep their leases until they run out. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy(); // SIGTERM: its worker puts its jobs back at once
            process.onExit().join();
        }
    }

    @Override
    public String toString() {
        return "the retrain replica on :" + port;
    }

    static void await(Duration max, BooleanSupplier condition) {
        Instant until = Instant.now().plus(max);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(until)) {
                throw new IllegalStateException("not within " + max);
            }
            try {
                Thread.sleep(100); // polling a separate process
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
