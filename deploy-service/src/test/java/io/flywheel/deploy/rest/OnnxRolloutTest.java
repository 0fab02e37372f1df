package io.flywheel.deploy.rest;

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
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.flywheel.deploy.support.DeployApi.canary;
import static io.flywheel.deploy.support.DeployApi.promotion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

/**
 * Rollouts are the same across formats: a flywheel-linear champion in production with an ONNX
 * canary (split by routing key, both versions in the prediction log with inputs by the same feature
 * names, rolled back by hand), and an ONNX shadow whose answers are logged, never returned.
 */
@QuarkusTest
class OnnxRolloutTest {

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

    private DeployApi api() {
        return new DeployApi(deployments, v2);
    }

    private static double[] features(int seed) {
        return IntStream.range(0, 20).mapToDouble(i -> ((seed * 13 + i * 5) % 11 - 5) / 2.0).toArray();
    }

    /** One tabular prediction (features x0..x19: what both formats take) in the environment, routed by key. */
    private Response infer(String model, String environment, String id, String routingKey, int seed) {
        return api().v2().header("X-Flywheel-Environment", environment).header("X-Flywheel-Routing-Key", routingKey)
                .body(Map.of("id", id, "inputs", OnnxModels.tabularInputs(features(seed)))).post("models/{name}/infer", model);
    }

    /** Puts {@code version} into production through staging, the soak included. */
    private void toProduction(String model, int version) {
        api().promoted(model, "staging", version, "replace");
        for (int i = 0; i < 3; i++) {
            infer(model, "staging", "soak-" + model + "-" + version + "-" + i, "soak-" + i, i).then().statusCode(200);
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() ->
                api().promote(model, "production", promotion(version, "replace", "soaked"), "ops").statusCode() == 201);
    }

    private static List<String> keys(String model, int percent, int n, boolean toCandidate) {
        return IntStream.iterate(0, i -> i + 1).mapToObj(i -> "user-" + i)
                .filter(k -> TrafficSplit.toCandidate(model, k, percent) == toCandidate).limit(n).toList();
    }

    @Test
    void anOnnxCanaryNextToALinearChampionSplitsLogsAndRollsBack() {
        String model = RegistryFixture.model("mixed-canary");
        int linear = RegistryFixture.logisticVersion(model, 20, Map.of());
        int onnx = RegistryFixture.onnxVersion(model, "bench_trees20", "xgboost", OnnxModels.signature(20, "label"), Map.of());
        toProduction(model, linear);
        // the canary soaks in staging first, as any version bound for production does
        toStagingOnly(model, onnx);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() ->
                api().promote(model, "production", canary(onnx, List.of(30, 100), 3600, 1_000_000), "alice").statusCode() == 201);
        api().deployment(model, "production").then().body("status", equalTo("canary"))
                .body("live.traffic_percent", contains(70, 30));
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> predictions = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST)
                     .fromTopics(inferenceTopic)) {
            List<String> toCanary = keys(model, 30, 4, true);
            List<String> toChampion = keys(model, 30, 4, false);
            for (int i = 0; i < 4; i++) {
                infer(model, "production", "c-" + model + "-" + i, toCanary.get(i), i).then().statusCode(200)
                        .header("X-Flywheel-Version", String.valueOf(onnx)).header("X-Flywheel-Role", "canary")
                        .body("outputs.name", contains("label", "probabilities"));
                infer(model, "production", "p-" + model + "-" + i, toChampion.get(i), i).then().statusCode(200)
                        .header("X-Flywheel-Version", String.valueOf(linear)).header("X-Flywheel-Role", "primary")
                        .body("outputs.name", contains("y"));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> production(predictions, model).size() >= 8);
            List<Map<String, Object>> logged = production(predictions, model);
            for (int version : new int[]{linear, onnx}) {
                List<Map<String, Object>> mine = logged.stream().filter(p -> p.get("version").equals(version)).toList();
                assertThat(mine).hasSize(4);
                // the same feature names and the same kind of output, whatever the format: drift and quality work alike
                assertThat(mine).allSatisfy(p -> {
                    assertThat(asMap(p.get("inputs"))).hasSize(20).containsKeys("x0", "x19");
                    assertThat(asMap(p.get("output"))).containsOnlyKeys("probability", "label");
                });
            }
            assertThat(logged.stream().filter(p -> p.get("version").equals(onnx)).map(p -> (String) p.get("request_id")))
                    .allMatch(id -> id.startsWith("c-"));
        }

        api().rollback(model, "production", "canary looks off", "oncall").then().statusCode(200)
                .body("live_versions", contains(linear));
        for (String key : keys(model, 30, 3, true)) {
            infer(model, "production", "after-" + key, key, 1).then().statusCode(200)
                    .header("X-Flywheel-Version", String.valueOf(linear));
        }
        api().history(model, "production").then().body("items[0].action", equalTo("rolled-back"))
                .body("items[0].version", equalTo(onnx)).body("items[1].action", equalTo("canary-started"));
    }

    @Test
    void anOnnxShadowScoresACopyOfTheLinearPrimarysTrafficAndIsLoggedNotReturned() {
        String model = RegistryFixture.model("mixed-shadow");
        int linear = RegistryFixture.logisticVersion(model, 20, Map.of());
        int onnx = RegistryFixture.onnxVersion(model, "bench_mlp20", "pytorch", OnnxModels.signature(20, "probability"), Map.of());
        api().promoted(model, "staging", linear, "replace");
        api().promote(model, "staging", promotion(onnx, "shadow", "try the network in the dark"), "alice").then().statusCode(201)
                .body("deployment.live.role", contains("primary", "shadow"));
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> predictions = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST)
                     .fromTopics(inferenceTopic)) {
            for (int i = 0; i < 5; i++) {
                infer(model, "staging", "s-" + model + "-" + i, "user-" + i, i).then().statusCode(200)
                        .header("X-Flywheel-Version", String.valueOf(linear)).body("outputs.name", contains("y"));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> all(predictions, model).size() >= 10);
            List<Map<String, Object>> shadow = all(predictions, model).stream().filter(p -> p.get("version").equals(onnx)).toList();
            assertThat(shadow).hasSize(5).allSatisfy(p -> {
                assertThat(p).containsEntry("environment", "staging");
                assertThat(asMap(p.get("inputs"))).hasSize(20);
                // one numeric output: a regression's value, per contract
                assertThat(p.get("output")).isInstanceOf(Number.class);
            });
            assertThat(shadow).extracting(p -> p.get("request_id"))
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 5).mapToObj(i -> "s-" + model + "-" + i).toList());
        }
        api().rollback(model, "staging", "enough", "alice").then().statusCode(200).body("live_versions", contains(linear));
        api().deployment(model, "staging").then().body("status", equalTo("serving"));
    }

    private void toStagingOnly(String model, int version) {
        api().promoted(model, "staging", version, "replace");
        for (int i = 0; i < 3; i++) {
            infer(model, "staging", "soak-" + model + "-" + version + "-" + i, "soak-" + i, i).then().statusCode(200)
                    .header("X-Flywheel-Version", String.valueOf(version));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    private static List<Map<String, Object>> all(ConsumerTask<String, String> predictions, String model) {
        return predictions.stream().filter(r -> model.equals(r.key()) && PredictionLogged.TYPE.equals(Events.type(r)))
                .map(Events::payload).toList();
    }

    private static List<Map<String, Object>> production(ConsumerTask<String, String> predictions, String model) {
        return all(predictions, model).stream().filter(p -> "production".equals(p.get("environment"))).toList();
    }
}
