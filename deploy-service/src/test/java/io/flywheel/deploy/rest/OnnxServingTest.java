package io.flywheel.deploy.rest;

import io.flywheel.deploy.serving.ServedModel;
import io.flywheel.deploy.serving.ServingTable;
import io.flywheel.deploy.support.DeployApi;
import io.flywheel.deploy.support.Events;
import io.flywheel.deploy.support.OnnxModels;
import io.flywheel.deploy.support.RegistryFixture;
import io.flywheel.events.PredictionLogged;
import io.quarkus.test.common.http.TestHTTPEndpoint;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * ONNX versions served by deploy's runtime over the real registry (format onnx, explicit signature),
 * PostgreSQL and Kafka: both request forms, output selection, refusals naming the input, the
 * prediction log per contract, and a replaced version's session closed while traffic goes on.
 */
@QuarkusTest
class OnnxServingTest {

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

    @Inject
    ServingTable table;

    private DeployApi api() {
        return new DeployApi(deployments, v2);
    }

    private static List<Object> row(int seed) {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            values.add(((seed * 31 + i * 7) % 17 - 8) / 4.0);
        }
        return values;
    }

    private static Map<String, Object> tensorRequest(String id, int rows) {
        List<Object> data = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            data.addAll(row(r));
        }
        return Map.of("id", id, "inputs", List.of(Map.of("name", "float_input", "shape", List.of(rows, 20), "datatype", "FP32",
                "data", data)));
    }

    @Test
    void anOnnxClassifierAnswersBothFormsAndLogsItsProbabilityAndLabelByFeature() {
        String model = RegistryFixture.model("onnx-trees");
        int v1 = RegistryFixture.onnxVersion(model, "bench_trees20", "xgboost", OnnxModels.signature(20, "label"), Map.of());
        api().promoted(model, "staging", v1, "replace");
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> predictions = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST)
                     .fromTopics(inferenceTopic)) {
            // (a) the graph's tensor, batched [3, 20]
            api().v2().header("X-Flywheel-Environment", "staging").body(tensorRequest("t-" + model, 3))
                    .post("models/{name}/infer", model)
                    .then().statusCode(200)
                    .header("X-Flywheel-Version", String.valueOf(v1))
                    .body("outputs.name", contains("label", "probabilities"))
                    .body("outputs[0].datatype", equalTo("INT64"))
                    .body("outputs[0].shape", contains(3))
                    .body("outputs[1].datatype", equalTo("FP32"))
                    .body("outputs[1].shape", contains(3, 2))
                    .body("outputs[1].data", hasSize(6))
                    .body("outputs[1].data[1]", both(greaterThanOrEqualTo(0f)).and(lessThanOrEqualTo(1f)));
            // (b) tabular: one input per signature feature; the answer for row 0 is the tensor form's
            float tensorP = api().v2().header("X-Flywheel-Environment", "staging").body(tensorRequest("t1-" + model, 1))
                    .post("models/{name}/infer", model).then().statusCode(200).extract().path("outputs[1].data[1]");
            double[] features = row(0).stream().mapToDouble(o -> (Double) o).toArray();
            api().v2().header("X-Flywheel-Environment", "staging")
                    .body(Map.of("id", "tab-" + model, "inputs", OnnxModels.tabularInputs(features),
                            "outputs", List.of(Map.of("name", "probabilities"))))
                    .post("models/{name}/infer", model)
                    .then().statusCode(200)
                    .body("outputs.name", contains("probabilities"))
                    .body("outputs[0].data[1]", equalTo(tensorP));

            await().atMost(Duration.ofSeconds(20)).until(() -> logged(predictions, model).size() >= 5);
            Map<String, Object> tabular = logged(predictions, model).stream().map(Events::payload)
                    .filter(p -> p.get("request_id").equals("tab-" + model)).findFirst().orElseThrow();
            assertThat(tabular).containsEntry("version", v1).containsEntry("environment", "staging");
            @SuppressWarnings("unchecked") Map<String, Object> inputs = (Map<String, Object>) tabular.get("inputs");
            assertThat(inputs).hasSize(20).containsEntry("x0", features[0]).containsEntry("x19", features[19]);
            @SuppressWarnings("unchecked") Map<String, Object> output = (Map<String, Object>) tabular.get("output");
            assertThat(output).containsOnlyKeys("probability", "label");
            assertThat(((Number) output.get("probability")).floatValue()).isEqualTo(tensorP);
            assertThat(output.get("label")).isEqualTo(tensorP > 0.5f ? 1 : 0);
            // a batch row's request id is <id>/<row>; the tensor form logs by feature name too
            Map<String, Object> batchRow = logged(predictions, model).stream().map(Events::payload)
                    .filter(p -> p.get("request_id").equals("t-" + model + "/2")).findFirst().orElseThrow();
            assertThat(batchRow.get("inputs")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsKey("x7");
        }
    }

    @Test
    void badInputIsA400NamingTheInputAndTheMetadataDescribesTheGraph() {
        String model = RegistryFixture.model("onnx-bad");
        int v1 = RegistryFixture.onnxVersion(model, "bench_mlp20", "pytorch", OnnxModels.signature(20, "probability"), Map.of());
        api().promoted(model, "staging", v1, "replace");
        api().v2().header("X-Flywheel-Environment", "staging")
                .body(Map.of("inputs", List.of(Map.of("name", "input", "shape", List.of(1, 19), "datatype", "FP32",
                        "data", row(0).subList(0, 19)))))
                .post("models/{name}/infer", model)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:invalid-inference-input"))
                .body("field", equalTo("input"))
                .body("detail", containsString("input 'input' expects 20 along axis 1"));
        api().v2().header("X-Flywheel-Environment", "staging")
                .body(Map.of("inputs", OnnxModels.tabularInputs(1, 2, 3)))
                .post("models/{name}/infer", model)
                .then().statusCode(400).body("field", equalTo("x3")).body("detail", equalTo("feature 'x3' is missing"));
        api().v2().header("X-Flywheel-Environment", "staging")
                .body(Map.of("inputs", List.of(Map.of("name", "input", "shape", List.of(1, 20), "datatype", "FP32", "data", row(0))),
                        "outputs", List.of(Map.of("name", "logits"))))
                .post("models/{name}/infer", model)
                .then().statusCode(400).body("field", equalTo("outputs"))
                .body("detail", equalTo("output 'logits' is not one the model gives; it gives probability"));

        api().v2().header("X-Flywheel-Environment", "staging").get("models/{name}", model).then().statusCode(200)
                .body("platform", equalTo("onnxruntime_onnx"))
                .body("inputs.name", contains("input"))
                .body("inputs[0].datatype", equalTo("FP32"))
                .body("inputs[0].shape", contains(-1, 20))
                .body("outputs.name", contains("probability"))
                .body("parameters.format", equalTo("onnx"))
                .body("parameters.features", hasSize(20));
    }

    @Test
    void aReplacedVersionsSessionIsClosedAndTrafficMovesToTheNewOneWithoutAFailedRequest() throws Exception {
        String model = RegistryFixture.model("onnx-swap");
        int v1 = RegistryFixture.onnxVersion(model, "bench_trees20", "xgboost", OnnxModels.signature(20, "label"), Map.of());
        int v2 = RegistryFixture.onnxVersion(model, "bench_mlp20", "pytorch", OnnxModels.signature(20, "probability"), Map.of());
        api().promoted(model, "staging", v1, "replace");
        api().v2().header("X-Flywheel-Environment", "staging").body(Map.of("inputs", OnnxModels.tabularInputs(
                row(1).stream().mapToDouble(o -> (Double) o).toArray()))).post("models/{name}/infer", model)
                .then().statusCode(200).header("X-Flywheel-Version", String.valueOf(v1));
        ServedModel first = table.route(model, "staging").primary().model();
        assertThat(first.isClosed()).isFalse();

        // tabular requests suit both versions; four clients keep sending through the switch
        AtomicBoolean running = new AtomicBoolean(true);
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> loops = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int client = c;
            loops.add(clients.submit(() -> {
                int i = 0;
                while (running.get()) {
                    int status = api().v2().header("X-Flywheel-Environment", "staging")
                            .body(Map.of("inputs", OnnxModels.tabularInputs(row(client * 1000 + i++).stream()
                                    .mapToDouble(o -> (Double) o).toArray())))
                            .post("models/{name}/infer", model).statusCode();
                    statuses.merge(status, 1, Integer::sum);
                }
            }));
        }
        try {
            Thread.sleep(300);
            api().promoted(model, "staging", v2, "replace");
            await().atMost(Duration.ofSeconds(20)).until(first::isClosed);
            Thread.sleep(300);
        } finally {
            running.set(false);
            for (Future<?> loop : loops) {
                loop.get(30, TimeUnit.SECONDS);
            }
            clients.shutdown();
        }
        assertThat(statuses).containsOnlyKeys(200);
        ServedModel second = table.route(model, "staging").primary().model();
        assertThat(second.version()).isEqualTo(v2);
        assertThat(second.isClosed()).isFalse();
        for (int i = 0; i < 3; i++) {
            api().v2().header("X-Flywheel-Environment", "staging").body(Map.of("inputs", OnnxModels.tabularInputs(
                    row(i).stream().mapToDouble(o -> (Double) o).toArray()))).post("models/{name}/infer", model)
                    .then().statusCode(200).header("X-Flywheel-Version", String.valueOf(v2)).body("outputs.name", contains("probability"));
        }
    }

    private static List<ConsumerRecord<String, String>> logged(ConsumerTask<String, String> predictions, String model) {
        return predictions.stream().filter(r -> model.equals(r.key()) && PredictionLogged.TYPE.equals(Events.type(r))).toList();
    }
}
