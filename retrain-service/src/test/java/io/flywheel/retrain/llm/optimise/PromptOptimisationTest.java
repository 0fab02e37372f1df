package io.flywheel.retrain.llm.optimise;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.events.PromptPromotionRequested;
import io.flywheel.internalauth.TestCallers;
import io.flywheel.retrain.support.RegistryFixture;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Prompt optimisation end to end against the test stack: its registry (the prompt's production version in, the
 * winning candidate out), its deterministic chat endpoint (llm-stub: the optimiser's three candidates by seed,
 * and answers whose form follows the prompt's wording), the real PostgreSQL, and the promotion request on the
 * real Kafka test topic.
 */
@QuarkusTest
class PromptOptimisationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "/api/v1/evaluation/optimisations";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.outgoing.outbox.topic")
    String retrainTopic;

    private static String project() {
        return "opt-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static RequestSpecification alice() {
        return given().header("Authorization", TestCallers.bearer("alice")).contentType("application/json");
    }

    /** Facts the stub knows, with their one-word answers. */
    private static void facts(String project, String name) {
        alice().body(Map.of("project", project, "name", name)).post("/api/v1/evaluation/datasets").then().statusCode(201);
        Map<String, String> facts = Map.of("What is the capital of France?", "Paris", "What is the capital of Japan?", "Tokyo",
                "Which planet is the largest planet?", "Jupiter", "Who wrote Hamlet?", "Shakespeare");
        facts.forEach((q, a) -> alice().queryParam("project", project).body(Map.of("input", Map.of("question", q), "expected_output", a))
                .post("/api/v1/evaluation/datasets/" + name + "/items").then().statusCode(201));
    }

    private static RequestSpecification registry() {
        URI uri = URI.create(RegistryFixture.url());
        return given().baseUri(uri.getScheme() + "://" + uri.getHost()).port(uri.getPort()).basePath("").contentType("application/json");
    }

    /** The prompt's first version, labelled production: only an admin may set that label. */
    private static int production(String project, String name, String text) {
        return registry().header("Authorization", TestCallers.bearer("prompt-admin", "admin")).queryParam("project", project)
                .body(Map.of("name", name, "type", "text", "prompt", text, "config", Map.of("model", "stub-1", "temperature", 0),
                        "labels", List.of("production")))
                .post("/api/v1/prompts").then().statusCode(201).extract().path("version");
    }

    private static JsonPath registryPrompt(String project, String name, String label) {
        return registry().header("Authorization", TestCallers.bearer("retrain-tests")).queryParam("project", project).queryParam("label", label)
                .get("/api/v1/prompts/" + name).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath awaitEnd(String id) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            String state = alice().get(PATH + "/" + id).then().statusCode(200).extract().path("state");
            return !state.equals("queued") && !state.equals("running");
        });
        return alice().get(PATH + "/" + id).then().extract().jsonPath();
    }

    @Test
    void generatedCandidatesBeatAVagueProductionPromptTheBestIsRegisteredAndDeployIsAsked() {
        String project = project();
        facts(project, "facts");
        int baseline = production(project, "qa", "Answer the question: {{question}}");
        String body = """
                {"project": "%s", "prompt": "qa", "dataset": "facts", "evaluator": {"type": "exact_match"},
                 "evaluators": [{"type": "string_similarity", "name": "similarity"}],
                 "generate": {"count": 3, "model": "stub-optimiser"}, "margin": 0.5, "concurrency": 2, "requests_per_second": 50}
                """.formatted(project);

        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> out = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(retrainTopic)) {
            String location = alice().body(body).post(PATH).then().statusCode(202)
                    .header("Location", containsString(PATH + "/"))
                    .body("state", equalTo("queued")).body("prompt", equalTo("qa")).body("score_name", equalTo("exact_match"))
                    .body("baseline.version", equalTo(baseline)).body("trigger.kind", equalTo("manual")).body("created_by", equalTo("alice"))
                    .extract().header("Location");
            String id = location.substring(location.lastIndexOf('/') + 1);

            JsonPath job = awaitEnd(id);
            assertThat(job.getString("state")).as(job.prettify()).isEqualTo("promotion_requested");
            assertThat(job.getDouble("baseline.mean")).isEqualTo(0.0);
            // seeds 0 and 1 ask for only the answer (exact_match 1), seed 2 for a short sentence (0): the first best wins
            List<Map<String, Object>> candidates = job.getList("candidates");
            assertThat(candidates).hasSize(3);
            assertThat(candidates).extracting(c -> c.get("source")).containsOnly("generated");
            assertThat(candidates).extracting(c -> ((Number) c.get("mean")).doubleValue()).containsExactly(1.0, 1.0, 0.0);
            assertThat((String) candidates.get(0).get("prompt")).startsWith("Answer the question with only the answer itself").endsWith("{{question}}");
            assertThat(job.getInt("best_index")).isEqualTo(0);
            int version = job.getInt("candidate_version");
            assertThat(version).isEqualTo(baseline + 1);
            String winningRun = (String) candidates.get(0).get("run_id");
            assertThat(job.getString("reason")).contains("registered version " + version).contains("improvement 1.000000, margin 0.500000");

            // the registry holds the winner, labelled candidate, with the winning run as its lineage; production did not move
            JsonPath registered = registryPrompt(project, "qa", "candidate");
            assertThat(registered.getInt("version")).isEqualTo(version);
            assertThat(registered.getString("prompt")).isEqualTo(candidates.get(0).get("prompt"));
            assertThat(registered.getString("experiment_id")).isEqualTo(winningRun);
            assertThat(registered.getString("commit_message")).contains("prompt optimisation " + id);
            assertThat(registered.getString("config.model")).isEqualTo("stub-1");
            assertThat(registryPrompt(project, "qa", "production").getInt("version")).isEqualTo(baseline);

            // the runs are ordinary experiments of the dataset, tagged with the optimisation
            alice().get("/api/v1/evaluation/experiments/" + job.getString("baseline.run_id"))
                    .then().statusCode(200).body("name", equalTo("optimisation-" + id.substring(0, 8) + "-baseline"))
                    .body("prompt.name", equalTo("qa")).body("prompt.version", equalTo(baseline))
                    .body("metadata.optimisation_id", equalTo(id));

            // deploy's request, on the retrain topic, keyed project/prompt
            await().atMost(Duration.ofSeconds(30)).until(() -> ofPrompt(out, project, "qa").size() == 1);
            ConsumerRecord<String, String> record = ofPrompt(out, project, "qa").getFirst();
            JsonNode event = read(record.value());
            assertThat(event.path("project").asText()).isEqualTo(project);
            assertThat(event.path("prompt").asText()).isEqualTo("qa");
            assertThat(event.path("candidate_version").asInt()).isEqualTo(version);
            assertThat(event.path("baseline_version").asInt()).isEqualTo(baseline);
            assertThat(event.path("job_id").asText()).isEqualTo(id);
            assertThat(event.path("experiment_id").asText()).isEqualTo(winningRun);
            assertThat(event.path("score_name").asText()).isEqualTo("exact_match");
            assertThat(event.path("reason").asText()).isEqualTo(job.getString("reason"));
            assertThat(event.path("requested_at").isTextual()).isTrue();
            JsonNode evidence = event.path("evidence");
            assertThat(evidence.path("baseline_mean").asDouble()).isEqualTo(0.0);
            assertThat(evidence.path("candidate_mean").asDouble()).isEqualTo(1.0);
            assertThat(evidence.path("margin").asDouble()).isEqualTo(0.5);
            assertThat(evidence.path("items").asInt()).isEqualTo(4);
            assertThat(evidence.path("baseline_run_id").asText()).isEqualTo(job.getString("baseline.run_id"));
            assertThat(evidence.path("candidate_run_id").asText()).isEqualTo(winningRun);
            assertThat(evidence.path("candidates")).hasSize(3);
        }
    }

    @Test
    void aGoodProductionPromptEndsNoImprovementWithTheFiguresAndNoEvent() throws Exception {
        String project = project();
        facts(project, "facts");
        int baseline = production(project, "qa", "Reply with only the answer: {{question}}");
        String body = """
                {"project": "%s", "prompt": "qa", "dataset": "facts", "evaluator": {"type": "exact_match"},
                 "candidates": [{"prompt": "Be concise: {{question}}"}, {"prompt": "Answer with only the answer, no explanation."},
                                {"prompt": "Just the answer and nothing else: {{question}}", "config": {"model": "stub-1", "seed": 7}}],
                 "requests_per_second": 50}
                """.formatted(project);
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> out = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(retrainTopic)) {
            String id = alice().body(body).post(PATH).then().statusCode(202).extract().path("id");
            JsonPath job = awaitEnd(id);
            assertThat(job.getString("state")).as(job.prettify()).isEqualTo("no_improvement");
            assertThat(job.getDouble("baseline.mean")).isEqualTo(1.0);
            List<Map<String, Object>> candidates = job.getList("candidates");
            assertThat(candidates).extracting(c -> c.get("status")).containsExactly("scored", "refused", "scored");
            assertThat((String) candidates.get(1).get("refused")).contains("drops the baseline's template variable(s) {{question}}");
            assertThat(((Number) candidates.get(0).get("mean")).doubleValue()).isEqualTo(0.0);
            assertThat(((Number) candidates.get(2).get("mean")).doubleValue()).isEqualTo(1.0);
            assertThat(job.getString("reason")).isEqualTo(
                    "no improvement: best candidate 2 mean 1.000000 vs baseline 1.000000: improvement 0.000000, margin 0.000000");
            assertThat(job.getString("evidence.baseline_mean")).isEqualTo("1.0");
            assertThat((Object) job.get("candidate_version")).isNull();
            // nothing registered, nothing asked
            registry().header("Authorization", TestCallers.bearer("retrain-tests")).queryParam("project", project)
                    .get("/api/v1/prompts/qa/versions").then().statusCode(200).body("items.size()", equalTo(1));
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> ofPrompt(out, project, "qa").isEmpty());
        }
        alice().queryParam("project", project).queryParam("prompt", "qa").get(PATH).then().statusCode(200)
                .body("items.size()", equalTo(1)).body("items[0].state", equalTo("no_improvement"));
    }

    @Test
    void anEndpointThatFailsGeneratingACandidateEndsTheJobFailedSayingSo() {
        String project = project();
        facts(project, "facts");
        production(project, "qa", "Answer the question: {{question}}");
        // the stub answers a flaky-500 model's first call with a 500; no retries, so the generation fails
        String body = """
                {"project": "%s", "prompt": "qa", "dataset": "facts", "evaluator": {"type": "exact_match"},
                 "generate": {"count": 2, "model": "flaky-500-%s"}, "max_retries": 0, "requests_per_second": 50}
                """.formatted(project, UUID.randomUUID());
        String id = alice().body(body).post(PATH).then().statusCode(202).extract().path("id");
        JsonPath job = awaitEnd(id);
        assertThat(job.getString("state")).isEqualTo("failed");
        assertThat(job.getString("error")).startsWith("the chat endpoint failed generating candidate 0 (500)");
        assertThat(job.getString("reason")).startsWith("failed: the chat endpoint failed generating candidate 0 (500)");
        assertThat(job.getDouble("baseline.mean")).isEqualTo(0.0);
        assertThat((Object) job.get("candidate_version")).isNull();
        // one at a time per prompt, but a failed one does not block the next
        awaitEnd(alice().body(body.replace("flaky-500", "stub-optimiser")).post(PATH).then().statusCode(202).extract().path("id"));
    }

    @Test
    void theSameIdempotencyKeyAnswersTheFirstJob() {
        String project = project();
        facts(project, "facts");
        production(project, "qa", "Reply with only the answer: {{question}}");
        String body = """
                {"project": "%s", "prompt": "qa", "dataset": "facts", "evaluator": {"type": "exact_match"},
                 "candidates": [{"prompt": "Just the answer: {{question}}"}], "requests_per_second": 50}
                """.formatted(project);
        String id = alice().header("Idempotency-Key", "k-1").body(body).post(PATH).then().statusCode(202).extract().path("id");
        alice().header("Idempotency-Key", "k-1").body(body).post(PATH).then().statusCode(200)
                .header("Idempotent-Replayed", "true").body("id", equalTo(id));
        awaitEnd(id);
    }

    @Test
    void aBadSpecIsAProblemSayingWhatToFix() {
        String project = project();
        facts(project, "facts");
        production(project, "qa", "Answer: {{question}}");
        String ok = "\"prompt\": \"qa\", \"dataset\": \"facts\", \"evaluator\": {\"type\": \"exact_match\"}";
        bad(project, "{\"dataset\": \"facts\", \"evaluator\": {\"type\": \"exact_match\"}, \"generate\": {}}", 400, "prompt is required");
        bad(project, "{\"prompt\": \"qa\", \"dataset\": \"facts\", \"generate\": {}}", 400, "evaluator is required");
        bad(project, "{" + ok + "}", 400, "give either candidates");
        bad(project, "{" + ok + ", \"candidates\": [{\"prompt\": \"x {{question}}\"}], \"generate\": {}}", 400, "not both");
        bad(project, "{" + ok + ", \"generate\": {\"count\": 6}}", 400, "generate.count must be between 1 and 5");
        bad(project, "{" + ok + ", \"generate\": {\"meta_prompt\": \"Improve it\"}}", 400, "must contain {{prompt}}");
        bad(project, "{" + ok + ", \"generate\": {}, \"label\": \"production\"}", 400, "label can't be 'production'");
        bad(project, "{" + ok + ", \"generate\": {}, \"margin\": -0.1}", 400, "margin");
        bad(project, "{" + ok.replace("exact_match", "telepathy") + ", \"generate\": {}}", 400, "evaluator");
        bad(project, "{" + ok + ", \"candidates\": [{\"prompt\": [{\"role\": \"user\", \"content\": \"{{question}}\"}]}]}", 400,
                "the baseline is a text prompt");
        bad(project, "{" + ok.replace("\"qa\"", "\"absent\"") + ", \"generate\": {}}", 400, "prompt 'absent' (label production)");
        bad(project, "{" + ok.replace("\"facts\"", "\"nothing\"") + ", \"generate\": {}}", 404, "nothing");
        bad(project, "{" + ok + ", \"generate\": {}, \"colour\": \"blue\"}", 400, "colour");
        alice().get(PATH + "/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
    }

    private static void bad(String project, String body, int status, String detail) {
        alice().body(body.replaceFirst("\\{", "{\"project\": \"" + project + "\", ")).post(PATH).then()
                .statusCode(status).contentType("application/problem+json").body("detail", containsString(detail));
    }

    private static List<ConsumerRecord<String, String>> ofPrompt(ConsumerTask<String, String> out, String project, String prompt) {
        return out.getRecords().stream().filter(r -> (project + "/" + prompt).equals(r.key()) && PromptPromotionRequested.TYPE.equals(type(r)))
                .toList();
    }

    private static String type(ConsumerRecord<String, String> r) {
        var h = r.headers().lastHeader("ce_type");
        return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static JsonNode read(String value) {
        try {
            return JSON.readTree(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
