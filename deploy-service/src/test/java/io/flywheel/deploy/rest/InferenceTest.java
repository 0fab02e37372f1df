package io.flywheel.deploy.rest;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import io.flywheel.deploy.support.Artifacts;
import io.flywheel.deploy.support.DeployApi;
import io.flywheel.deploy.support.Events;
import io.flywheel.deploy.support.RegistryFixture;
import io.flywheel.events.PredictionLogged;
import io.quarkus.test.common.http.TestHTTPEndpoint;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * The serving runtime (Open Inference Protocol v2) over an artifact loaded from the real registry:
 * answers that say which version served them, refusals that name the field, the prediction log on
 * the real Kafka, and the serving metrics.
 */
@QuarkusTest
class InferenceTest {

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

    private String servingModel(String prefix) {
        String model = RegistryFixture.model(prefix);
        int v1 = RegistryFixture.churnVersion(model, Map.of(), 0.1);
        api().promoted(model, "staging", v1, "replace");
        return model;
    }

    @Test
    void anAnswerSaysWhichVersionServedItAndEveryPredictionIsLogged() {
        String model = servingModel("infer");
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> predictions = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(inferenceTopic)) {
            api().v2().header("X-Flywheel-Environment", "staging")
                    .body(Map.of("id", "req-1-" + model, "inputs", Artifacts.churnInputs(41, 52_000.0, true, "plus")))
                    .post("models/{name}/infer", model)
                    .then().statusCode(200)
                    .header("X-Flywheel-Version", "1")
                    .header("X-Flywheel-Role", "primary")
                    .body("model_name", equalTo(model))
                    .body("model_version", equalTo("1"))
                    .body("id", equalTo("req-1-" + model))
                    .body("parameters.environment", equalTo("staging"))
                    .body("outputs[0].name", equalTo("churned"))
                    .body("outputs[0].datatype", equalTo("FP64"))
                    .body("outputs[0].shape", contains(1))
                    .body("outputs[0].data[0]", both(greaterThan(0f)).and(lessThan(1f)));

            // no id in the body: the X-Request-Id header is the request id
            api().v2().header("X-Flywheel-Environment", "staging").header("X-Request-Id", "hdr-" + model)
                    .body(Map.of("inputs", Artifacts.churnInputs(30, 40_000.0, false, "basic")))
                    .post("models/{name}/infer", model)
                    .then().statusCode(200).body("id", equalTo("hdr-" + model));

            await().atMost(Duration.ofSeconds(20)).until(() -> logged(predictions, model).size() >= 2);
            ConsumerRecord<String, String> record = logged(predictions, model).stream()
                    .filter(r -> Events.payload(r).get("request_id").equals("req-1-" + model)).findFirst().orElseThrow();
            Map<String, Object> p = Events.payload(record);
            assertThat(p).containsEntry("model", model).containsEntry("version", 1).containsEntry("environment", "staging")
                    .containsKeys("latency_ms", "time");
            assertThat(p.get("inputs")).isEqualTo(Map.of("age", 41, "income", 52000.0, "member", true, "plan", "plus"));
            @SuppressWarnings("unchecked") Map<String, Object> output = (Map<String, Object>) p.get("output");
            assertThat(output).containsKeys("probability", "label");
            assertThat(new String(record.headers().lastHeader("ce_source").value())).isEqualTo("flywheel/deploy-service");
        }
    }

    @Test
    void aBatchIsAnsweredRowByRow() {
        String model = servingModel("batch");
        List<Map<String, Object>> inputs = List.of(
                Map.of("name", "age", "shape", List.of(3), "datatype", "INT64", "data", List.of(20, 40, 60)),
                Map.of("name", "income", "shape", List.of(3), "datatype", "FP64", "data", List.of(1.0, 2.0, 3.0)),
                Map.of("name", "member", "shape", List.of(3), "datatype", "BOOL", "data", List.of(true, false, true)),
                Map.of("name", "plan", "shape", List.of(3), "datatype", "BYTES", "data", List.of("pro", "basic", "unheard-of")));
        api().v2().header("X-Flywheel-Environment", "staging").body(Map.of("id", "batch", "inputs", inputs))
                .post("models/{name}/infer", model)
                .then().statusCode(200).body("outputs[0].data", hasSize(3)).body("outputs[0].shape", contains(3));
    }

    @Test
    void badInputIsA400ThatNamesTheField() {
        String model = servingModel("badinput");
        List<Map<String, Object>> wrongType = new ArrayList<>(Artifacts.churnInputs(41, 52_000.0, true, "plus"));
        wrongType.set(0, Map.of("name", "age", "shape", List.of(1), "datatype", "BYTES", "data", List.of("forty-one")));
        api().v2().header("X-Flywheel-Environment", "staging").body(Map.of("inputs", wrongType))
                .post("models/{name}/infer", model)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:invalid-inference-input"))
                .body("field", equalTo("age"))
                .body("detail", equalTo("input 'age' has datatype BYTES, but the signature says integer: send INT64"));

        List<Map<String, Object>> missing = new ArrayList<>(Artifacts.churnInputs(41, 52_000.0, true, "plus"));
        missing.remove(1);
        api().v2().header("X-Flywheel-Environment", "staging").body(Map.of("inputs", missing))
                .post("models/{name}/infer", model)
                .then().statusCode(400).body("field", equalTo("income"))
                .body("detail", containsString("input 'income' is missing"));

        api().v2().header("X-Flywheel-Environment", "staging").body("{\"inputs\": [{\"name\": \"age\", \"data\": [1,]}]}")
                .post("models/{name}/infer", model)
                .then().statusCode(400).body("type", equalTo("urn:flywheel:problem:malformed-json"))
                .body("detail", containsString("(line 1, column"));

        api().v2().body(Map.of("inputs", Artifacts.churnInputs(41, 52_000.0, true, "plus")))
                .post("models/{name}/infer", model)
                .then().statusCode(404).body("detail", equalTo("model '" + model + "' has no version live in 'production'; promote one there first"));

        given().baseUri(metricsBase()).get("/q/metrics").then().statusCode(200)
                .body(containsString("deploy_serving_errors_total{environment=\"staging\",model=\"" + model
                        + "\",reason=\"invalid-input\",role=\"primary\",version=\"1\"} 2.0"));
    }

    @Test
    void metadataAndReadinessDescribeTheLiveVersions() {
        String model = servingModel("meta");
        api().v2().header("X-Flywheel-Environment", "staging").get("models/{name}", model).then().statusCode(200)
                .body("name", equalTo(model))
                .body("versions", contains("1"))
                .body("platform", equalTo("flywheel-linear"))
                .body("inputs.name", contains("age", "income", "member", "plan"))
                .body("inputs.datatype", contains("INT64", "FP64", "BOOL", "BYTES"))
                .body("outputs[0].name", equalTo("churned"));
        api().v2().header("X-Flywheel-Environment", "staging").get("models/{name}/ready", model).then().statusCode(200)
                .body("ready", equalTo(true));
        api().v2().get("models/{name}/ready", model).then().statusCode(404);
        api().v2().header("X-Flywheel-Environment", "staging").body(Map.of("inputs", Artifacts.churnInputs(41, 1.0, true, "pro")))
                .post("models/{name}/versions/{v}/infer", model, 1).then().statusCode(200).header("X-Flywheel-Version", "1");
        api().v2().header("X-Flywheel-Environment", "staging").body(Map.of("inputs", Artifacts.churnInputs(41, 1.0, true, "pro")))
                .post("models/{name}/versions/{v}/infer", model, 7).then().statusCode(404);

        for (int i = 0; i < 3; i++) {
            api().infer(model, "staging", "m-" + i, null).then().statusCode(200);
        }
        // three routed answers and one pinned to version 1 (the refused pin to version 7 never reached a version)
        given().baseUri(metricsBase()).get("/q/metrics").then().statusCode(200)
                .body(containsString("deploy_serving_latency_seconds_count{environment=\"staging\",model=\"" + model
                        + "\",role=\"primary\",version=\"1\"} 4.0"))
                .body(containsString("deploy_serving_in_flight{environment=\"staging\",model=\"" + model))
                .body(containsString("deploy_prediction_log_dropped_total"));
    }

    private String metricsBase() {
        return v2.getProtocol() + "://" + v2.getHost() + ":" + v2.getPort();
    }

    private static List<ConsumerRecord<String, String>> logged(ConsumerTask<String, String> predictions, String model) {
        return predictions.stream().filter(r -> model.equals(r.key()) && PredictionLogged.TYPE.equals(Events.type(r))).toList();
    }
}
