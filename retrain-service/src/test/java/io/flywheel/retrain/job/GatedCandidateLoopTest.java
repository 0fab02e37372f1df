package io.flywheel.retrain.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.events.PromotionRequested;
import io.flywheel.retrain.storage.ObjectStore;
import io.flywheel.retrain.support.LabelledSegments;
import io.flywheel.retrain.support.Policies;
import io.flywheel.retrain.support.RegistryFixture;
import io.flywheel.retrain.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The model tests of a policy as a gate in the loop (real PostgreSQL, Kafka, S3 and registry): the
 * candidate (the reference trainer on x1, x2 and plan; the model has no champion, so it would be
 * promoted) is tested after evaluation; a failing test rejects it unregistered with the report on the
 * job, passing tests let it through with their summary in the promotion request's evidence.
 */
@QuarkusTest
class GatedCandidateLoopTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ObjectStore store;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.outgoing.outbox.topic")
    String retrainTopic;

    private String modelWithData(String prefix, long seed) {
        String model = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        RegistryFixture.createModel(model);
        LabelledSegments.write(store, model, Rows.churn(300, seed), Instant.now().minus(Duration.ofMinutes(10)));
        return model;
    }

    private static String policy(String modelTests) {
        return """
                {"data": {"window": "P1D"},
                 "trainer": {"params": {"task": "binary-classification", "target": "churned", "features": ["x1", "x2", "plan"]}},
                 "model_tests": %s}""".formatted(modelTests);
    }

    private static String start(String model) {
        return given().contentType("application/json").body(Map.of("model", model, "reason", "model test gate"))
                .post("/api/v1/retrain/jobs").then().statusCode(201).extract().path("id");
    }

    @Test
    void aFailingDirectionalTestRejectsTheCandidateBeforeItIsRegistered() {
        String model = modelWithData("gated", 31);
        // x1 raises churn in the data, so a model that learnt it can't lower the score when x1 grows
        Policies.put(model, policy("""
                {"directional": [{"feature": "x1", "delta": 1, "direction": "decrease"},
                                 {"feature": "x1", "delta": 1, "direction": "increase"}]}"""));

        String jobId = start(model);

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                given().get("/api/v1/retrain/jobs/" + jobId).then().statusCode(200).body("state", equalTo("rejected")));
        JsonPath job = given().get("/api/v1/retrain/jobs/" + jobId).then().extract().jsonPath();
        assertThat(job.getList("transitions.to", String.class))
                .containsExactly("pending", "preparing-data", "training", "evaluating", "testing", "rejected");
        assertThat(job.getString("reason")).isEqualTo("rejected, not registered: 1 of 2 model tests failed: directional x1 +1 decrease");
        assertThat(job.getString("evaluation.decision")).isEqualTo("promote");
        assertThat(job.getBoolean("model_tests.passed")).isFalse();
        assertThat(job.getInt("model_tests.failed")).isEqualTo(1);
        assertThat(job.getString("model_tests.results[0].name")).isEqualTo("directional x1 +1 decrease");
        assertThat(job.getString("model_tests.results[0].kind")).isEqualTo("directional");
        assertThat(job.getBoolean("model_tests.results[0].passed")).isFalse();
        assertThat(job.getDouble("model_tests.results[0].measured")).isZero();
        assertThat(job.getString("model_tests.results[0].explanation"))
                .startsWith("moving x1 by +1 lowered the score on 0 of 60 holdout rows (0%), expected at least 100%; e.g. line ");
        assertThat(job.getBoolean("model_tests.results[1].passed")).isTrue();
        assertThat(job.getList("log.message", String.class)).contains("model tests: 1 of 2 model tests failed: directional x1 +1 decrease");
        assertThat(job.getString("candidate_version")).isNull();
        assertThat(RegistryFixture.versionStatus(model, 1)).isEqualTo(404);
    }

    @Test
    void passingTestsLetTheCandidateThroughWithTheirSummaryInTheEvidence() throws Exception {
        String model = modelWithData("tested", 32);
        Policies.put(model, policy("""
                {"slices": [{"feature": "plan", "metric": "roc_auc", "min": 0.6, "min_rows": 10}],
                 "invariance": [{"feature": "noise", "delta": 5}],
                 "directional": [{"feature": "x2", "delta": 1, "direction": "decrease"}],
                 "examples": [{"name": "likely to churn", "inputs": {"x1": 3, "x2": -2, "plan": "pro"}, "expected": 1}],
                 "latency": {"p99_ms": 1000, "requests": 50, "warmup": 10}}"""));
        given().get("/api/v1/retrain/policies/" + model).then().statusCode(200)
                .body("model_tests.latency.batch", equalTo(1))
                .body("model_tests.directional[0].min_fraction", equalTo(1.0f));

        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> out = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(retrainTopic)) {
            String jobId = start(model);

            await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    given().get("/api/v1/retrain/jobs/" + jobId).then().statusCode(200).body("state", equalTo("promotion-requested")));
            JsonPath job = given().get("/api/v1/retrain/jobs/" + jobId).then().extract().jsonPath();
            assertThat(job.getList("transitions.to", String.class)).containsExactly("pending", "preparing-data", "training", "evaluating",
                    "testing", "registering", "promotion-requested");
            assertThat(job.getBoolean("model_tests.passed")).isTrue();
            assertThat(job.getList("model_tests.results.name", String.class)).containsExactly("slice plan=basic roc_auc",
                    "slice plan=pro roc_auc", "invariance noise +5", "directional x2 +1 decrease", "example likely to churn", "latency p99");
            JsonPath version = RegistryFixture.version(model, job.getInt("candidate_version"));
            assertThat(version.getString("tags.'model_tests.passed'")).isEqualTo("true");
            assertThat(version.getString("tags.'model_tests.summary'")).isEqualTo("all 6 model tests passed");

            await().atMost(Duration.ofSeconds(30)).until(() -> promotions(out, model).size() == 1);
            JsonNode evidence = JSON.readTree(promotions(out, model).getFirst().value()).get("evidence");
            assertThat(evidence.get("model_tests").get("passed").asBoolean()).isTrue();
            assertThat(evidence.get("model_tests").get("total").asInt()).isEqualTo(6);
            assertThat(evidence.get("model_tests").get("summary").asText()).isEqualTo("all 6 model tests passed");
        }
    }

    private static List<ConsumerRecord<String, String>> promotions(ConsumerTask<String, String> task, String model) {
        return task.stream().filter(r -> model.equals(r.key()))
                .filter(r -> {
                    var type = r.headers().lastHeader("ce_type");
                    return type != null && PromotionRequested.TYPE.equals(new String(type.value(), StandardCharsets.UTF_8));
                }).toList();
    }
}
