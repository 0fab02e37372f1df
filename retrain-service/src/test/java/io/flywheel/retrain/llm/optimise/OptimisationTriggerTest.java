package io.flywheel.retrain.llm.optimise;

import io.flywheel.events.PromptPromotionRequested;
import io.flywheel.events.QualityDegraded;
import io.flywheel.internalauth.TestCallers;
import io.flywheel.retrain.support.RegistryFixture;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.flywheel.retrain.support.CloudEventRecords.cloudEvent;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The monitor's llm_score degradation of a prompt version, on the real Kafka test topic, starts the prompt's
 * optimisation policy once: its redelivery and another report of the same window are duplicates, a later
 * window is refused while the first runs or cools down, and a prompt without a policy is refused saying so.
 */
@QuarkusTest
class OptimisationTriggerTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.incoming.monitor-events.topic")
    String monitorTopic;

    @ConfigProperty(name = "mp.messaging.outgoing.outbox.topic")
    String retrainTopic;

    private static RequestSpecification alice() {
        return given().header("Authorization", TestCallers.bearer("alice")).contentType("application/json");
    }

    private static String degraded(String project, String prompt, int version, String windowStart) {
        return """
                {"model":"%s","version":%d,"kind":"llm_score","metric":"exact_match","value":0.1,"threshold":0.8,
                 "window_start":"%s","window_end":"2026-12-07T05:00:00Z","samples":40,"detected_at":"2026-12-07T05:00:01Z",
                 "evidence":{},"llm":{"project":"%s","score_name":"exact_match","group_by":"prompt","prompt_name":"%s","prompt_version":%d,"llm_model":null}}
                """.formatted(prompt, version, windowStart, project, prompt, version);
    }

    @Test
    void anLlmScoreDropOfAPromptStartsItsPolicysOptimisationOnce() {
        String project = "trg-" + UUID.randomUUID().toString().substring(0, 8);
        alice().body(Map.of("project", project, "name", "facts")).post("/api/v1/evaluation/datasets").then().statusCode(201);
        Map.of("What is the capital of France?", "Paris", "What is the capital of Italy?", "Rome")
                .forEach((q, a) -> alice().queryParam("project", project).body(Map.of("input", Map.of("question", q), "expected_output", a))
                        .post("/api/v1/evaluation/datasets/facts/items").then().statusCode(201));
        URI registry = URI.create(RegistryFixture.url());
        int baseline = given().baseUri(registry.getScheme() + "://" + registry.getHost()).port(registry.getPort()).basePath("")
                .header("Authorization", TestCallers.bearer("prompt-admin", "admin")).contentType("application/json").queryParam("project", project)
                .body(Map.of("name", "team/qa", "type", "text", "prompt", "Answer the question: {{question}}", "config", Map.of("model", "stub-1"),
                        "labels", List.of("production")))
                .post("/api/v1/prompts").then().statusCode(201).extract().path("version");

        // a bad policy is refused naming the field; a good one is created, then read back with its defaults
        alice().queryParam("project", project).body(Map.of("optimisation", Map.of("dataset", "facts", "generate", Map.of("count", 9))))
                .put("/api/v1/evaluation/optimisation-policies/team/qa").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("optimisation.evaluator is required"));
        alice().queryParam("project", project).body(Map.of("cooldown", "soon", "optimisation", Map.of()))
                .put("/api/v1/evaluation/optimisation-policies/team/qa").then().statusCode(400).body("detail", containsString("cooldown"));
        Map<String, Object> policy = Map.of("cooldown", "PT1H", "optimisation", Map.of("dataset", "facts", "evaluator", Map.of("type", "exact_match"),
                "generate", Map.of("count", 2), "margin", 0.5, "requests_per_second", 50));
        alice().queryParam("project", project).body(policy).put("/api/v1/evaluation/optimisation-policies/team/qa").then().statusCode(201)
                .body("enabled", equalTo(true)).body("cooldown", equalTo("PT1H")).body("optimisation.margin", equalTo(0.5f));
        alice().queryParam("project", project).body(policy).put("/api/v1/evaluation/optimisation-policies/team/qa").then().statusCode(200);
        alice().queryParam("project", project).get("/api/v1/evaluation/optimisation-policies/team/qa").then().statusCode(200)
                .body("prompt", equalTo("team/qa")).body("updated_by", equalTo("alice"));

        String first = UUID.randomUUID().toString();
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> out = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(retrainTopic)) {
            kafka.produceStrings().fromRecords(List.of(
                    cloudEvent(monitorTopic, first, project + "/team/qa", QualityDegraded.TYPE, degraded(project, "team/qa", baseline, "2026-12-07T04:00:00Z")),
                    cloudEvent(monitorTopic, first, project + "/team/qa", QualityDegraded.TYPE, degraded(project, "team/qa", baseline, "2026-12-07T04:00:00Z")),
                    cloudEvent(monitorTopic, UUID.randomUUID().toString(), project + "/team/qa", QualityDegraded.TYPE,
                            degraded(project, "team/qa", baseline, "2026-12-07T04:00:00Z")),
                    cloudEvent(monitorTopic, UUID.randomUUID().toString(), project + "/team/qa", QualityDegraded.TYPE,
                            degraded(project, "team/qa", baseline, "2026-12-07T04:30:00Z")),
                    cloudEvent(monitorTopic, UUID.randomUUID().toString(), project + "/other", QualityDegraded.TYPE,
                            degraded(project, "other", 1, "2026-12-07T04:00:00Z")))).awaitCompletion();

            await().atMost(Duration.ofSeconds(30)).until(() -> alice().queryParam("project", project).get("/api/v1/evaluation/optimisation-triggers")
                    .then().extract().jsonPath().getList("items").size() == 5);
            JsonPath triggers = alice().queryParam("project", project).get("/api/v1/evaluation/optimisation-triggers").then().extract().jsonPath();
            List<Map<String, Object>> items = triggers.getList("items");
            assertThat(items).filteredOn(t -> "accepted".equals(t.get("decision"))).hasSize(1);
            assertThat(items).filteredOn(t -> "duplicate".equals(t.get("rule"))).hasSize(2);
            assertThat(items).filteredOn(t -> "other".equals(t.get("prompt"))).singleElement()
                    .satisfies(t -> assertThat(t.get("reason")).isEqualTo("no optimisation policy for prompt 'other'"));
            // the later window came while the first optimisation ran, or in its cooldown
            assertThat(items).filteredOn(t -> "team/qa".equals(t.get("prompt")) && "refused".equals(t.get("decision"))
                    && !"duplicate".equals(t.get("rule"))).singleElement().satisfies(t -> assertThat(t.get("rule")).isIn("max-concurrent", "cooldown"));
            String id = (String) items.stream().filter(t -> "accepted".equals(t.get("decision"))).findFirst().orElseThrow().get("optimisation_id");

            await().atMost(Duration.ofSeconds(90)).until(() -> !List.of("queued", "running").contains(
                    alice().get("/api/v1/evaluation/optimisations/" + id).then().extract().<String>path("state")));
            alice().get("/api/v1/evaluation/optimisations/" + id).then().statusCode(200)
                    .body("state", equalTo("promotion_requested")).body("trigger.kind", equalTo("quality"))
                    .body("trigger.event_id", equalTo(first)).body("created_by", equalTo("retrain-service"))
                    .body("candidate_version", equalTo(baseline + 1));
            await().atMost(Duration.ofSeconds(30)).until(() -> out.getRecords().stream().anyMatch(r -> (project + "/team/qa").equals(r.key())
                    && PromptPromotionRequested.TYPE.equals(new String(r.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8))));
        }
    }
}
