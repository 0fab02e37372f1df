package io.flywheel.deploy.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.deploy.external.server.V2ServerProcess;
import io.flywheel.deploy.rollout.TrafficSplit;
import io.flywheel.deploy.support.DeployApi;
import io.flywheel.deploy.support.Events;
import io.flywheel.deploy.support.OnnxModels;
import io.flywheel.deploy.support.RegistryFixture;
import io.flywheel.events.PredictionLogged;
import io.quarkus.test.common.http.TestHTTPEndpoint;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.flywheel.deploy.support.DeployApi.canary;
import static io.flywheel.deploy.support.DeployApi.promotion;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Versions of format external, registered in the real registry and served through deploy's v2 route
 * by a real v2 server in its own process ({@link V2ServerProcess}: the ONNX model bench_trees20 on ONNX
 * Runtime, behind a bearer token that deploy reads from its secrets directory). The test profile allows
 * 127.0.0.1 on any port, reads secrets from target/external-secrets, waits 1 s for an answer and opens a
 * breaker after 3 failures in a row for 2 s.
 */
@QuarkusTest
class ExternalServingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "ext-t0ken";
    private static final String SECRET = "v2-test-token";

    private static V2ServerProcess server;
    private static Path modelFile;

    @TestHTTPEndpoint(DeploymentResource.class)
    @TestHTTPResource
    URL deployments;

    @TestHTTPEndpoint(InferenceResource.class)
    @TestHTTPResource
    URL v2;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "deploy.prediction-log.topic")
    String inferenceTopic;

    @ConfigProperty(name = "deploy.external.secrets-dir")
    String secretsDir;

    @BeforeAll
    static void startServer() throws IOException {
        Path dir = Files.createTempDirectory("v2-models");
        modelFile = dir.resolve("trees.onnx");
        Files.write(modelFile, OnnxModels.bytes("bench_trees20"));
        server = V2ServerProcess.start(List.of("--token=" + TOKEN, "--model=trees=" + modelFile));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void reset() throws IOException {
        server.control(Map.of("delay_ms", 0, "fail", "none"));
        Files.createDirectories(Path.of(secretsDir));
        Files.writeString(Path.of(secretsDir).resolve(SECRET), "Bearer " + TOKEN + "\n");
    }

    private DeployApi api() {
        return new DeployApi(deployments, v2);
    }

    private static double[] features(int seed) {
        return IntStream.range(0, 20).mapToDouble(i -> ((seed * 13 + i * 5) % 11 - 5) / 2.0).toArray();
    }

    /** An external version of {@code model} at {@code url}, with the token's secret and the 20-feature signature. */
    private static int externalVersion(String model, String url) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("description", "served by the v2 test server");
        body.put("framework", "xgboost");
        body.put("format", "external");
        body.put("endpoint", Map.of("url", url, "auth", Map.of("header", "Authorization", "secret_ref", SECRET)));
        body.put("signature", OnnxModels.signature(20, "label"));
        body.put("metrics", Map.of());
        URI registry = URI.create(RegistryFixture.url());
        return given().baseUri(registry.getScheme() + "://" + registry.getHost()).port(registry.getPort()).contentType("application/json")
                .body(body).post("/api/v1/models/{name}/versions", model)
                .then().statusCode(201).body("status", equalTo("ready")).extract().path("version");
    }

    private Response infer(String model, String environment, String id, String routingKey, int seed) {
        return api().v2().header("X-Flywheel-Environment", environment).header("X-Flywheel-Routing-Key", routingKey)
                .body(Map.of("id", id, "inputs", OnnxModels.tabularInputs(features(seed)))).post("models/{name}/infer", model);
    }

    /** What the v2 server itself answers for these rows (its own request form: the model's [n, 20] matrix). */
    private static JsonNode direct(List<double[]> rows) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String base = server.modelUrl("trees");
            JsonNode metadata = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base)).header("Authorization", "Bearer " + TOKEN)
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            JsonNode input = metadata.get("inputs").get(0);
            List<Double> data = new ArrayList<>();
            rows.forEach(r -> {
                for (double v : r) {
                    data.add(v);
                }
            });
            Map<String, Object> request = Map.of("id", "direct", "inputs", List.of(Map.of("name", input.get("name").asText(),
                    "datatype", input.get("datatype").asText(), "shape", List.of(rows.size(), 20), "data", data)));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/infer"))
                    .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return JSON.readTree(response.body());
        }
    }

    private static JsonNode output(JsonNode response, String name) {
        for (JsonNode o : response.get("outputs")) {
            if (o.get("name").asText().equals(name)) {
                return o;
            }
        }
        throw new AssertionError("no output " + name + " in " + response);
    }

    @Test
    void anExternalVersionIsDeployedAndAnswersWithTheServersAnswerAndIsLogged() throws Exception {
        String model = RegistryFixture.model("external");
        int version = externalVersion(model, server.modelUrl("trees"));
        int before = server.stats().get("infer").asInt();
        api().promoted(model, "staging", version, "replace");

        JsonNode expected = direct(List.of(features(3)));
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> predictions = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST)
                     .fromTopics(inferenceTopic)) {
            Response response = infer(model, "staging", "ext-" + model, "user-1", 3);
            response.then().statusCode(200).header("X-Flywheel-Version", String.valueOf(version)).header("X-Flywheel-Role", "primary")
                    .body("model_version", equalTo(String.valueOf(version))).body("id", equalTo("ext-" + model));
            JsonNode answer = JSON.readTree(response.asString());
            for (JsonNode o : expected.get("outputs")) {
                JsonNode mine = output(answer, o.get("name").asText());
                assertThat(mine.get("datatype").asText()).isEqualTo(o.get("datatype").asText());
                assertThat(mine.get("data").size()).isEqualTo(o.get("data").size());
                for (int i = 0; i < o.get("data").size(); i++) {
                    assertThat(mine.get("data").get(i).asDouble()).isCloseTo(o.get("data").get(i).asDouble(), within(1e-9));
                }
            }
            // deploy called the server (metadata at load, one inference now) with the token from its secrets directory
            assertThat(server.stats().get("infer").asInt()).isEqualTo(before + 2); // ours and direct()'s
            assertThat(server.stats().get("last_had_authorization").asBoolean()).isTrue();

            await().atMost(Duration.ofSeconds(20)).until(() -> logged(predictions, model).size() >= 1);
            Map<String, Object> logged = logged(predictions, model).getFirst();
            assertThat(logged).containsEntry("request_id", "ext-" + model).containsEntry("version", version)
                    .containsEntry("environment", "staging");
            assertThat(asMap(logged.get("inputs"))).hasSize(20).containsEntry("x0", features(3)[0]);
            Map<String, Object> out = asMap(logged.get("output"));
            assertThat(out).containsOnlyKeys("probability", "label");
            JsonNode probabilities = expected.get("outputs").get(1);
            assertThat(((Number) out.get("probability")).doubleValue())
                    .isCloseTo(probabilities.get("data").get(probabilities.get("data").size() - 1).asDouble(), within(1e-6));
            assertThat(((Number) logged.get("latency_ms")).doubleValue()).isPositive();
        }

        // metadata: the endpoint's tensors, the signature's features
        api().v2().header("X-Flywheel-Environment", "staging").get("models/{name}", model).then().statusCode(200)
                .body("parameters.format", equalTo("external")).body("parameters.features.size()", equalTo(20));
        // inputs are checked against the signature before anything is sent: 400 naming the field
        int calls = server.stats().get("infer").asInt();
        api().v2().header("X-Flywheel-Environment", "staging").body(Map.of("inputs", OnnxModels.tabularInputs(1.0, 2.0)))
                .post("models/{name}/infer", model).then().statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("type", equalTo("urn:flywheel:problem:invalid-inference-input")).body("field", equalTo("x2"));
        assertThat(server.stats().get("infer").asInt()).isEqualTo(calls);
        // a batch: one prediction per row, as the server answers it
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int f = i;
            batch.add(Map.of("name", "x" + i, "shape", List.of(2), "datatype", "FP64", "data", List.of(features(1)[f], features(2)[f])));
        }
        JsonNode expectedBatch = direct(List.of(features(1), features(2)));
        JsonNode batchAnswer = JSON.readTree(api().v2().header("X-Flywheel-Environment", "staging").body(Map.of("inputs", batch))
                .post("models/{name}/infer", model).then().statusCode(200).extract().asString());
        JsonNode label = output(batchAnswer, expectedBatch.get("outputs").get(0).get("name").asText());
        assertThat(label.get("data")).isEqualTo(expectedBatch.get("outputs").get(0).get("data"));
        // the metrics of the endpoint, per model and version
        String metrics = given().baseUri(v2.toString().replace("/v2", "")).get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("deploy_external_latency_seconds_count{model=\"" + model + "\",version=\"" + version + "\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> given().baseUri(v2.toString().replace("/v2", "")).get("/q/metrics").asString()
                .contains("deploy_external_ready{model=\"" + model + "\",version=\"" + version + "\"} 1.0"));
    }

    @Test
    void anExternalCanaryNextToALinearChampionSplitsAndBothAreLogged() {
        String model = RegistryFixture.model("external-canary");
        int linear = RegistryFixture.logisticVersion(model, 20, Map.of());
        int external = externalVersion(model, server.modelUrl("trees"));
        api().promoted(model, "staging", linear, "replace");
        for (int i = 0; i < 3; i++) {
            infer(model, "staging", "soak-" + model + "-" + i, "soak-" + i, i).then().statusCode(200);
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() ->
                api().promote(model, "production", promotion(linear, "replace", "soaked"), "ops").statusCode() == 201);
        api().promoted(model, "staging", external, "replace");
        for (int i = 0; i < 3; i++) {
            infer(model, "staging", "soak-ext-" + model + "-" + i, "soak-" + i, i).then().statusCode(200)
                    .header("X-Flywheel-Version", String.valueOf(external));
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() ->
                api().promote(model, "production", canary(external, List.of(30, 100), 3600, 1_000_000), "alice").statusCode() == 201);
        api().deployment(model, "production").then().body("status", equalTo("canary")).body("live.traffic_percent", contains(70, 30));

        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> predictions = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST)
                     .fromTopics(inferenceTopic)) {
            List<String> toCanary = keys(model, 30, 4, true);
            List<String> toChampion = keys(model, 30, 4, false);
            for (int i = 0; i < 4; i++) {
                infer(model, "production", "c-" + model + "-" + i, toCanary.get(i), i).then().statusCode(200)
                        .header("X-Flywheel-Version", String.valueOf(external)).header("X-Flywheel-Role", "canary")
                        .body("parameters.role", equalTo("canary"));
                infer(model, "production", "p-" + model + "-" + i, toChampion.get(i), i).then().statusCode(200)
                        .header("X-Flywheel-Version", String.valueOf(linear)).header("X-Flywheel-Role", "primary")
                        .body("outputs.name", contains("y"));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> production(predictions, model).size() >= 8);
            List<Map<String, Object>> logged = production(predictions, model);
            for (int version : new int[]{linear, external}) {
                List<Map<String, Object>> mine = logged.stream().filter(p -> p.get("version").equals(version)).toList();
                assertThat(mine).hasSize(4).allSatisfy(p -> {
                    assertThat(asMap(p.get("inputs"))).hasSize(20).containsKeys("x0", "x19");
                    assertThat(asMap(p.get("output"))).containsOnlyKeys("probability", "label");
                });
            }
            assertThat(logged.stream().filter(p -> p.get("version").equals(external)).map(p -> (String) p.get("request_id")))
                    .allMatch(id -> id.startsWith("c-"));
        }
        api().rollback(model, "production", "back to the linear model", "oncall").then().statusCode(200)
                .body("live_versions", contains(linear));
    }

    @Test
    void anExternalShadowIsLoggedAndNeverDelaysTheAnswer() {
        String model = RegistryFixture.model("external-shadow");
        int linear = RegistryFixture.logisticVersion(model, 20, Map.of());
        int external = externalVersion(model, server.modelUrl("trees"));
        api().promoted(model, "staging", linear, "replace");
        api().promote(model, "staging", promotion(external, "shadow", "try the external model in the dark"), "alice").then().statusCode(201)
                .body("deployment.live.role", contains("primary", "shadow"));
        server.control(Map.of("delay_ms", 700)); // slow, but within the read timeout
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> predictions = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST)
                     .fromTopics(inferenceTopic)) {
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                infer(model, "staging", "s-" + model + "-" + i, "user-" + i, i).then().statusCode(200)
                        .header("X-Flywheel-Version", String.valueOf(linear)).body("outputs.name", contains("y"));
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the shadow's 700 ms are not the caller's")
                        .isLessThan(Duration.ofMillis(500));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> logged(predictions, model).size() >= 6);
            List<Map<String, Object>> shadow = logged(predictions, model).stream().filter(p -> p.get("version").equals(external)).toList();
            assertThat(shadow).hasSize(3).allSatisfy(p -> {
                assertThat(asMap(p.get("inputs"))).hasSize(20);
                assertThat(asMap(p.get("output"))).containsOnlyKeys("probability", "label");
                assertThat(((Number) p.get("latency_ms")).doubleValue()).isGreaterThanOrEqualTo(700.0);
            });
            assertThat(shadow).extracting(p -> p.get("request_id"))
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 3).mapToObj(i -> "s-" + model + "-" + i).toList());
        }
    }

    @Test
    void aHostOffTheAllowListFailsTheServableGateSayingWhy() {
        String model = RegistryFixture.model("external-refused");
        int version = externalVersion(model, "http://localhost:" + server.port() + "/v2/models/trees");
        int calls = server.stats().get("metadata").asInt();
        api().promote(model, "staging", promotion(version, "replace", "try it"), "alice").then().statusCode(422)
                .contentType(containsString("application/problem+json"))
                .body("type", equalTo("urn:flywheel:problem:gate-failed")).body("gate", equalTo("servable"))
                .body("checks[1].detail", containsString("localhost"))
                .body("checks[1].detail", containsString("allow"));
        assertThat(server.stats().get("metadata").asInt()).as("nothing was sent to a host off the list").isEqualTo(calls);
        api().deployment(model, "staging").then().body("status", equalTo("idle"));
    }

    @Test
    void aStoppedServerOpensTheBreakerThen503WithRetryAfterAndItRecovers() throws Exception {
        V2ServerProcess own = V2ServerProcess.start(List.of("--token=" + TOKEN, "--model=trees=" + modelFile));
        int port = own.port();
        String model = RegistryFixture.model("external-breaker");
        int version = externalVersion(model, own.modelUrl("trees"));
        try {
            api().promoted(model, "staging", version, "replace");
            infer(model, "staging", "b-0", "k", 0).then().statusCode(200);

            own.close(); // the endpoint goes away: connection refused
            for (int i = 1; i <= 3; i++) {
                infer(model, "staging", "b-" + i, "k", i).then().statusCode(503)
                        .contentType(containsString("application/problem+json"))
                        .body("type", equalTo("urn:flywheel:problem:external-unavailable"))
                        .body("detail", containsString("127.0.0.1:" + port));
            }
            // three failures in a row: the breaker is open, nothing is sent, the caller learns when to retry
            Response open = infer(model, "staging", "b-4", "k", 4);
            open.then().statusCode(503).body("type", equalTo("urn:flywheel:problem:external-circuit-open"))
                    .body("detail", containsString("circuit breaker open"));
            assertThat(Integer.parseInt(open.header("Retry-After"))).isBetween(1, 2);
            String metrics = given().baseUri(v2.toString().replace("/v2", "")).get("/q/metrics").asString();
            assertThat(metrics).contains("deploy_external_breaker_state{model=\"" + model + "\",version=\"" + version + "\"} 2.0");
            assertThat(metrics).contains("deploy_external_errors_total{model=\"" + model + "\",reason=\"unavailable\",version=\""
                    + version + "\"} 3.0");

            own = V2ServerProcess.start(List.of("--token=" + TOKEN, "--model=trees=" + modelFile, "--port=" + port));
            assertThat(own.port()).isEqualTo(port);
            // after open-for (2 s) a probe call goes through, succeeds, and closes the breaker
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300))
                    .until(() -> infer(model, "staging", "b-back", "k", 5).statusCode() == 200);
            infer(model, "staging", "b-after", "k", 6).then().statusCode(200).header("X-Flywheel-Version", String.valueOf(version));
            assertThat(given().baseUri(v2.toString().replace("/v2", "")).get("/q/metrics").asString())
                    .contains("deploy_external_breaker_state{model=\"" + model + "\",version=\"" + version + "\"} 0.0");
        } finally {
            own.close();
        }
    }

    @Test
    void aSlowServerIsA504AndAFailingOneA502() {
        String model = RegistryFixture.model("external-slow");
        int version = externalVersion(model, server.modelUrl("trees"));
        api().promoted(model, "staging", version, "replace");
        server.control(Map.of("delay_ms", 1500));
        long start = System.nanoTime();
        infer(model, "staging", "slow-1", "k", 1).then().statusCode(504)
                .contentType(containsString("application/problem+json"))
                .body("type", equalTo("urn:flywheel:problem:external-timeout"))
                .body("detail", containsString("no answer within 1000 ms"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), Duration.ofMillis(1450));
        server.control(Map.of("delay_ms", 0, "fail", "500"));
        infer(model, "staging", "slow-2", "k", 1).then().statusCode(502)
                .body("type", equalTo("urn:flywheel:problem:external-bad-gateway"))
                .body("detail", containsString("answered 500"));
        server.control(Map.of("fail", "none"));
        infer(model, "staging", "slow-3", "k", 1).then().statusCode(200);
    }

    private static List<String> keys(String model, int percent, int n, boolean toCandidate) {
        return IntStream.iterate(0, i -> i + 1).mapToObj(i -> "user-" + i)
                .filter(k -> TrafficSplit.toCandidate(model, k, percent) == toCandidate).limit(n).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    private static List<Map<String, Object>> logged(ConsumerTask<String, String> predictions, String model) {
        return predictions.stream().filter(r -> model.equals(r.key()) && PredictionLogged.TYPE.equals(Events.type(r)))
                .map(Events::payload).toList();
    }

    private static List<Map<String, Object>> production(ConsumerTask<String, String> predictions, String model) {
        return logged(predictions, model).stream().filter(p -> "production".equals(p.get("environment"))).toList();
    }
}
