package io.flywheel.deploy.service;

import io.flywheel.internalauth.TestCallers;
import io.flywheel.deploy.rollout.TrafficSplit;
import io.flywheel.deploy.support.Artifacts;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A restart in the middle of a canary resumes it from its recorded step. This runs the packaged
 * service (target/quarkus-app, built by `./flywheel test` or `mvn package` before the tests) as a
 * real process against PostgreSQL (flywheel_test), Kafka and the registry: it starts a canary, lets
 * it reach its second step, kills the process with SIGKILL, starts a new one, and checks that the
 * new process finds the canary at that step (not back at the first, not finished) and carries it to
 * completion. The processes serve an environment of their own ("restart"), which the in-JVM test
 * application does not drive, so nothing else can move the canary while the service is down.
 */
class CanaryRestartTest {

    private static final String ENV = "restart";
    private static final Path APP = Path.of("target/quarkus-app/quarkus-run.jar");

    private final String registry = System.getProperty("flywheel.test.registry", "http://127.0.0.1:18081");

    @Test
    void aCanaryResumesFromItsRecordedStepAfterTheServiceIsKilled() throws Exception {
        assumeTrue(isCurrentPackage(), "target/quarkus-app is missing or older than src/main: package deploy-service first "
                + "(./flywheel test does; or ../mvnw package -DskipTests)");
        String model = "restart-" + UUID.randomUUID().toString().substring(0, 8);
        registerModel(model);
        int v1 = registerVersion(model, 0.1);
        int v2 = registerVersion(model, 0.9);
        int port = freePort();

        Process first = start(port, "first");
        Instant restartedAt;
        try {
            awaitReady(port, first);
            deploy(port).body(Map.of("version", v1, "strategy", "replace", "reason", "baseline"))
                    .post("/api/v1/deployments/{m}/{e}/promotions", model, ENV).then().statusCode(201);
            deploy(port).body(Map.of("version", v2, "strategy", "canary", "reason", "restart test",
                            "canary", Map.of("steps", List.of(10, 50, 100), "min_hold_seconds", 0, "min_samples", 3)))
                    .post("/api/v1/deployments/{m}/{e}/promotions", model, ENV).then().statusCode(201);
            serveCandidate(port, model, 10, "before", 3, equalTo("canary"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> deploy(port).get("/api/v1/deployments/{m}/{e}", model, ENV)
                    .then().body("candidate.step", equalTo(1)).body("candidate.traffic_percent", equalTo(50)));
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hooks, nothing flushed
            first.waitFor();
        }

        restartedAt = Instant.now();
        Process second = start(port, "second");
        try {
            awaitReady(port, second);
            await().atMost(Duration.ofSeconds(30)).until(() -> deploy(port).header("X-Flywheel-Environment", ENV)
                    .get("/v2/models/{m}/ready", model).statusCode() == 200);
            deploy(port).get("/api/v1/deployments/{m}/{e}", model, ENV).then().statusCode(200)
                    .body("status", equalTo("canary"))
                    .body("candidate.version", equalTo(v2))
                    .body("candidate.step", equalTo(1))
                    .body("candidate.traffic_percent", equalTo(50));
            // SIGKILL loses the counts not flushed yet (SampleCounter: at most one flush interval's, here up to
            // the 3 served just before), while the step's start was recorded with them: 3 more plus those 3.
            // The canary may complete before the last of them; v2 then answers them as the primary.
            serveCandidate(port, model, 50, "after", 6, anyOf(equalTo("canary"), equalTo("primary")));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> deploy(port).get("/api/v1/deployments/{m}/{e}", model, ENV)
                    .then().body("status", equalTo("serving")).body("live_versions", contains(v2)));

            Response history = deploy(port).get("/api/v1/deployments/{m}/{e}/history", model, ENV);
            history.then().statusCode(200)
                    .body("items.action", contains("canary-completed", "canary-advanced", "canary-started", "promoted"));
            Instant completedAt = Instant.parse(history.jsonPath().getString("items[0].at"));
            Instant advancedAt = Instant.parse(history.jsonPath().getString("items[1].at"));
            assertThat(advancedAt).as("the first process took the canary to 50%").isBefore(restartedAt);
            assertThat(completedAt).as("the restarted process finished it").isAfter(restartedAt);
        } finally {
            second.destroy();
            second.waitFor();
        }
    }

    /** {@code count} requests whose routing keys the split sends to the candidate (a step needs 3 samples). */
    private void serveCandidate(int port, String model, int percent, String tag, int count, Matcher<String> role) {
        List<String> keys = IntStream.iterate(0, i -> i + 1).mapToObj(i -> tag + "-" + i)
                .filter(k -> TrafficSplit.toCandidate(model, k, percent)).limit(count).toList();
        for (String key : keys) {
            deploy(port)
                    .header("X-Flywheel-Environment", ENV).header("X-Flywheel-Routing-Key", key)
                    .body(Map.of("id", key, "inputs", Artifacts.churnInputs(41, 50_000.0, true, "pro")))
                    .post("/v2/models/{m}/infer", model).then().statusCode(200).header("X-Flywheel-Role", role);
        }
    }

    private Process start(int port, String name) throws IOException {
        String group = "deploy-restart-" + UUID.randomUUID();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m",
                "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                // the test stack's database and Kafka, as the parent pom tells the test JVM
                "-Dquarkus.datasource.reactive.url=postgresql://" + System.getProperty("flywheel.test.postgres", "127.0.0.1:15432") + "/flywheel_test",
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://" + System.getProperty("flywheel.test.postgres", "127.0.0.1:15432") + "/flywheel_test",
                "-Dkafka.bootstrap.servers=" + System.getProperty("flywheel.test.kafka", "127.0.0.1:19092"),
                "-Ddeploy.environments=" + ENV,
                "-Ddeploy.registry.url=" + registry,
                "-Ddeploy.canary.check-interval=1s",
                "-Ddeploy.serving.flush-interval=1s",
                "-Ddeploy.serving.refresh-interval=1s",
                "-Dflywheel.outbox.poll-interval=1s",
                "-Dmp.messaging.outgoing.outbox.topic=test.flywheel.deploy",
                "-Ddeploy.prediction-log.topic=test.flywheel.inference",
                // the driver's every check in the log, so a canary that does not move says why
                "-Dquarkus.log.category.\"io.flywheel.deploy.service\".level=DEBUG"));
        for (String channel : List.of("registry-events", "monitor-events", "retrain-events")) {
            String topic = switch (channel) {
                case "registry-events" -> "test.flywheel.registry";
                case "monitor-events" -> "test.flywheel.monitor";
                default -> "test.flywheel.retrain";
            };
            command.add("-Dmp.messaging.incoming." + channel + ".topic=" + topic);
            command.add("-Dmp.messaging.incoming." + channel + ".group.id=" + group);
            command.add("-Dmp.messaging.incoming." + channel + ".auto.offset.reset=latest");
            command.add("-Dmp.messaging.incoming." + channel + ".dead-letter-queue.topic=test.flywheel.dlq.deploy");
        }
        command.addAll(List.of("-jar", APP.toString()));
        File log = new File("target/canary-restart-" + name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
        builder.environment().put("FLYWHEEL_INTERNAL_SECRET", TestCallers.secret());
        return builder.start();
    }

    private static void awaitReady(int port, Process process) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(process.isAlive()).as("the packaged service exited; see target/canary-restart-*.log").isTrue();
            try {
                return given().baseUri("http://127.0.0.1").port(port).get("/q/health/ready").statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }

    private static RequestSpecification deploy(int port) {
        return given().baseUri("http://127.0.0.1").port(port).contentType(ContentType.JSON).header("Authorization", TestCallers.bearer("restart-test"));
    }

    private RequestSpecification registry() {
        URI uri = URI.create(registry);
        return given().baseUri(uri.getScheme() + "://" + uri.getHost()).port(uri.getPort()).contentType(ContentType.JSON)
                .header("Authorization", TestCallers.bearer("restart-test"));
    }

    private void registerModel(String model) {
        registry().body(Map.of("name", model, "description", "restart test")).post("/api/v1/models").then().statusCode(201);
    }

    private int registerVersion(String model, double intercept) {
        int version = registry().body(Map.of("framework", "flywheel-linear", "format", "json", "signature", Artifacts.churnSignature(),
                "metrics", Map.of())).post("/api/v1/models/{m}/versions", model).then().statusCode(201).extract().path("version");
        registry().body(Artifacts.churn(intercept).getBytes(StandardCharsets.UTF_8))
                .put("/api/v1/models/{m}/versions/{v}/artifact", model, version).then().statusCode(200);
        return version;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The packaged jar exists and nothing under src/main is newer. */
    private static boolean isCurrentPackage() throws IOException {
        if (!Files.exists(APP)) {
            return false;
        }
        long packaged = Files.getLastModifiedTime(APP).toMillis();
        try (Stream<Path> sources = Files.walk(Path.of("src/main"))) {
            return sources.filter(Files::isRegularFile).allMatch(p -> p.toFile().lastModified() <= packaged);
        }
    }
}
