package io.flywheel.retrain.llm.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.events.ObservationUpserted;
import io.flywheel.events.ScoreUpserted;
import io.flywheel.events.TraceUpserted;
import io.flywheel.internalauth.TestCallers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Experiments end to end: a dataset's items run through an inline prompt against the OpenAI endpoint the
 * test plays (OpenAiEndpoint: deterministic answers, one 429 then an answer, one hard failure), scored,
 * stored as run items, and published as trace records on the real Kafka test topic.
 */
@QuarkusTest
@QuarkusTestResource(value = OpenAiEndpoint.class, restrictToAnnotatedClass = true)
class ExperimentTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.outgoing.traces-out.topic")
    String tracesTopic;

    private static String project() {
        return "exp-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void dataset(String project, String name) {
        given().contentType("application/json").body(Map.of("project", project, "name", name)).post("/api/v1/evaluation/datasets")
                .then().statusCode(201);
        item(project, name, "i-paris", Map.of("city", "paris"), "PARIS");
        item(project, name, "i-berlin", Map.of("city", "berlin"), "LONDON");
        item(project, name, "i-busy", Map.of("city", "BUSY rome"), "BUSY ROME");
        item(project, name, "i-fail", Map.of("city", "FAIL oslo"), "FAIL OSLO");
        given().queryParam("project", project).contentType("application/json")
                .body(Map.of("id", "i-archived", "input", Map.of("city", "lima"), "status", "ARCHIVED"))
                .post("/api/v1/evaluation/datasets/" + name + "/items").then().statusCode(201);
    }

    private static void item(String project, String dataset, String id, Object input, String expected) {
        given().queryParam("project", project).contentType("application/json")
                .body(Map.of("id", id, "input", input, "expected_output", expected, "metadata", Map.of("source", "test")))
                .post("/api/v1/evaluation/datasets/" + dataset + "/items").then().statusCode(201);
    }

    @Test
    void anExperimentRunsEveryActiveItemScoresItAndPublishesItsTraces() throws Exception {
        String project = project();
        dataset(project, "capitals");
        String body = """
                {"project": "%s", "dataset": "capitals", "run_name": "upper-v1", "description": "inline prompt",
                 "prompt": {"type": "chat", "prompt": [{"role": "system", "content": "Answer in capitals."},
                                                        {"role": "user", "content": "{{city}}"}],
                            "config": {"model": "stub-model", "temperature": 0, "team": "not sent"}},
                 "evaluators": [{"type": "exact_match"}, {"type": "regex", "name": "shouts", "params": {"pattern": "^[A-Z ]+$"}}],
                 "concurrency": 2, "requests_per_second": 50, "max_retries": 2}
                """.formatted(project);

        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> out = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(tracesTopic)) {
            String location = given().contentType("application/json").body(body).post("/api/v1/evaluation/experiments")
                    .then().statusCode(202)
                    .header("Location", containsString("/api/v1/evaluation/experiments/"))
                    .body("name", equalTo("upper-v1")).body("dataset", equalTo("capitals")).body("model", equalTo("stub-model"))
                    .body("progress.total", equalTo(4)).body("prompt.type", equalTo("chat"))
                    .extract().header("Location");
            String id = location.substring(location.lastIndexOf('/') + 1);

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/v1/evaluation/experiments/" + id).then()
                    .statusCode(200).body("status", equalTo("partial")));
            given().get("/api/v1/evaluation/experiments/" + id).then()
                    .body("progress.done", equalTo(3)).body("progress.failed", equalTo(1))
                    .body("error", equalTo("1 of 4 item(s) failed; each run item has its error"))
                    .body("started_at", notNullValue()).body("finished_at", notNullValue())
                    .body("settings.concurrency", equalTo(2));

            JsonPath run = given().queryParam("project", project).get("/api/v1/evaluation/datasets/capitals/runs/upper-v1").then()
                    .statusCode(200).extract().jsonPath();
            Map<String, Map<String, Object>> items = run.getList("items", Map.class).stream()
                    .collect(Collectors.toMap(m -> (String) m.get("dataset_item_id"), m -> (Map<String, Object>) m));
            assertThat(items).containsOnlyKeys("i-paris", "i-berlin", "i-busy", "i-fail");
            assertThat(items.get("i-paris").get("output")).isEqualTo("PARIS");
            assertThat(score(items.get("i-paris"), "exact_match")).isEqualTo(1.0);
            assertThat(score(items.get("i-paris"), "shouts")).isEqualTo(1.0);
            assertThat(items.get("i-paris").get("prompt_tokens")).isEqualTo(5);
            assertThat(items.get("i-paris").get("total_tokens")).isEqualTo(10);
            assertThat(items.get("i-paris").get("latency_ms")).isNotNull();
            assertThat(items.get("i-berlin").get("output")).isEqualTo("BERLIN");
            assertThat(score(items.get("i-berlin"), "exact_match")).isEqualTo(0.0);
            // the 429 was retried and then answered
            assertThat(items.get("i-busy").get("output")).isEqualTo("BUSY ROME");
            assertThat(score(items.get("i-busy"), "exact_match")).isEqualTo(1.0);
            assertThat(OpenAiEndpoint.REQUESTS.stream().filter(r -> r.toString().contains("BUSY rome")).count()).isEqualTo(2);
            // the hard failure is recorded on its item, not retried, and did not stop the others
            assertThat(items.get("i-fail").get("output")).isNull();
            assertThat((String) items.get("i-fail").get("error")).contains("400");
            assertThat(OpenAiEndpoint.REQUESTS.stream().filter(r -> r.toString().contains("FAIL oslo")).count()).isEqualTo(1);
            // what went to the endpoint: the compiled messages, the config's chat parameters only, the key
            JsonNode paris = OpenAiEndpoint.REQUESTS.stream().filter(r -> r.toString().contains("paris")).findFirst().orElseThrow();
            assertThat(paris.path("model").asText()).isEqualTo("stub-model");
            assertThat(paris.path("messages"))
                    .isEqualTo(JSON.readTree("[{\"role\":\"system\",\"content\":\"Answer in capitals.\"},{\"role\":\"user\",\"content\":\"paris\"}]"));
            assertThat(paris.path("temperature").asInt(-1)).isEqualTo(0);
            assertThat(paris.has("team")).isFalse();
            assertThat(OpenAiEndpoint.AUTHORIZATIONS).allMatch(("Bearer " + OpenAiEndpoint.API_KEY)::equals);

            // each item's output is a trace on the traces topic: trace, generation, scores, as the gateway publishes them
            String parisTrace = (String) items.get("i-paris").get("trace_id");
            String parisObservation = (String) items.get("i-paris").get("observation_id");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ofProject(out, project)).hasSizeGreaterThanOrEqualTo(
                    4 + 4 + 3 * 2 + 2));
            List<ConsumerRecord<String, String>> records = ofProject(out, project);
            ConsumerRecord<String, String> trace = records.stream()
                    .filter(r -> type(r).equals(TraceUpserted.TYPE) && r.key().equals(project + "/" + parisTrace)).findFirst().orElseThrow();
            JsonNode t = JSON.readTree(trace.value());
            assertThat(t.path("name").asText()).isEqualTo("experiment-item-run");
            assertThat(t.path("metadata").path("experiment_id").asText()).isEqualTo(id);
            assertThat(t.path("metadata").path("dataset_item_id").asText()).isEqualTo("i-paris");
            assertThat(t.path("output").asText()).isEqualTo("PARIS");
            assertThat(t.path("input").path("city").asText()).isEqualTo("paris");
            assertThat(header(trace, "ce_source")).isEqualTo("flywheel/retrain-service");

            JsonNode g = JSON.readTree(records.stream().filter(r -> type(r).equals(ObservationUpserted.TYPE)
                    && r.key().equals(project + "/" + parisTrace)).findFirst().orElseThrow().value());
            assertThat(g.path("id").asText()).isEqualTo(parisObservation);
            assertThat(g.path("type").asText()).isEqualTo("GENERATION");
            assertThat(g.path("model").asText()).isEqualTo("stub-model");
            assertThat(g.path("output").asText()).isEqualTo("PARIS");
            assertThat(g.path("input").get(1).path("content").asText()).isEqualTo("paris");
            assertThat(g.path("usage_details").path("total").asLong()).isEqualTo(10);

            List<JsonNode> scores = records.stream().filter(r -> type(r).equals(ScoreUpserted.TYPE) && r.key().equals(project + "/" + parisTrace))
                    .map(r -> read(r.value())).toList();
            assertThat(scores).extracting(s -> s.path("name").asText()).containsExactlyInAnyOrder("exact_match", "shouts");
            assertThat(scores).allSatisfy(s -> {
                assertThat(s.path("trace_id").asText()).isEqualTo(parisTrace);
                assertThat(s.path("observation_id").asText()).isEqualTo(parisObservation);
                assertThat(s.path("metadata").path("dataset_run_id").asText()).isEqualTo(id);
                assertThat(s.path("data_type").asText()).isEqualTo("BOOLEAN");
                assertThat(s.path("source").asText()).isEqualTo("EVAL");
            });
            // the failed item's trace says why, at level ERROR
            String failTrace = (String) items.get("i-fail").get("trace_id");
            JsonNode failed = JSON.readTree(records.stream().filter(r -> type(r).equals(ObservationUpserted.TYPE)
                    && r.key().equals(project + "/" + failTrace)).findFirst().orElseThrow().value());
            assertThat(failed.path("level").asText()).isEqualTo("ERROR");
            // run-level means, on the run
            JsonNode mean = records.stream().filter(r -> type(r).equals(ScoreUpserted.TYPE) && r.key().equals(project + "/run:" + id))
                    .map(r -> read(r.value())).filter(s -> s.path("name").asText().equals("exact_match_mean")).findFirst().orElseThrow();
            assertThat(mean.path("value").asDouble()).isEqualTo(2.0 / 3.0, org.assertj.core.data.Offset.offset(1e-9));
        }

        // the run is a dataset run like any other: Langfuse's routes show it to the project's key pair
        given().header("Authorization", TestCallers.bearer("llm-project:" + project)).get("/api/public/datasets/capitals/runs/upper-v1")
                .then().statusCode(200).body("datasetRunItems.size()", equalTo(4));
        // and the run name is taken
        given().contentType("application/json").body(body).post("/api/v1/evaluation/experiments").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("upper-v1"));
    }

    @Test
    void aTextPromptFillsTheVariableInputFromAStringInput() {
        String project = project();
        given().contentType("application/json").body(Map.of("project", project, "name", "echo")).post("/api/v1/evaluation/datasets")
                .then().statusCode(201);
        item(project, "echo", "e-1", "hello world", "HELLO WORLD");
        String id = given().contentType("application/json").body("""
                        {"project": "%s", "dataset": "echo", "run_name": "r1", "model": "other-model",
                         "prompt": {"type": "text", "prompt": "{{input}}"}, "evaluators": [{"type": "exact_match"}]}
                        """.formatted(project))
                .post("/api/v1/evaluation/experiments").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/evaluation/experiments/" + id).then()
                .body("status", equalTo("succeeded")).body("progress.done", equalTo(1)));
        given().queryParam("project", project).queryParam("dataset", "echo").get("/api/v1/evaluation/experiments").then().statusCode(200)
                .body("items.id", org.hamcrest.Matchers.contains(id));
        given().queryParam("project", project).get("/api/v1/evaluation/datasets/echo/runs/r1").then()
                .body("items[0].output", equalTo("HELLO WORLD")).body("items[0].scores[0].value", equalTo(1.0f));
        // another project's key pair doesn't see it
        given().header("Authorization", TestCallers.bearer("llm-project:" + project())).get("/api/v1/evaluation/experiments/" + id)
                .then().statusCode(404);

        // a second prompt, then both side by side
        item(project, "echo", "e-2", "good bye", "GOOD BYE");
        String second = given().contentType("application/json").body("""
                        {"project": "%s", "dataset": "echo", "run_name": "r2", "model": "other-model",
                         "prompt": {"type": "text", "prompt": "{{input}} now"}, "evaluators": [{"type": "exact_match"}]}
                        """.formatted(project))
                .post("/api/v1/evaluation/experiments").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/evaluation/experiments/" + second).then()
                .body("status", equalTo("succeeded")));
        JsonPath compared = given().queryParam("project", project).queryParam("runs", "r1,r2").get("/api/v1/evaluation/datasets/echo/runs/compare")
                .then().statusCode(200).extract().jsonPath();
        assertThat(compared.getList("runs", String.class)).containsExactly("r1", "r2");
        assertThat(compared.getList("items.item_id", String.class)).containsExactly("e-1", "e-2");
        assertThat(compared.getString("items[0].expected_output")).isEqualTo("HELLO WORLD");
        assertThat(compared.getList("items[0].runs.output", String.class)).containsExactly("HELLO WORLD", "HELLO WORLD NOW");
        assertThat(compared.getBoolean("items[0].outputs_differ")).isTrue();
        assertThat(compared.getDouble("items[0].score_deltas.r2.exact_match")).isEqualTo(-1.0);
        assertThat(compared.getList("items[0].diffs[0].words.op", String.class)).containsExactly("equal", "insert");
        assertThat(compared.getString("items[0].diffs[0].words[1].text")).isEqualTo(" NOW");
        // e-2 came after r1 ran: r1 has no outcome for it
        assertThat(compared.getString("items[1].runs[0].error")).isEqualTo("no outcome in this run");
        assertThat(compared.getDouble("summaries[0].mean_scores.exact_match")).isEqualTo(1.0);
        assertThat(compared.getDouble("summaries[0].pass_rate")).isEqualTo(1.0);
        assertThat(compared.getDouble("summaries[1].pass_rate")).isEqualTo(0.0);
        assertThat(compared.getDouble("summaries[1].mean_score_deltas.exact_match")).isEqualTo(-1.0);
        assertThat(compared.getLong("summaries[1].total_tokens")).isGreaterThan(0);
        given().queryParam("project", project).queryParam("runs", "r1").get("/api/v1/evaluation/datasets/echo/runs/compare")
                .then().statusCode(400).contentType("application/problem+json");
        given().queryParam("project", project).queryParam("runs", "r1,nope").get("/api/v1/evaluation/datasets/echo/runs/compare")
                .then().statusCode(404).body("detail", containsString("nope"));
    }

    @Test
    void aBadRequestIsRefusedBeforeAnythingRuns() {
        String project = project();
        given().contentType("application/json").body(Map.of("project", project, "name", "d")).post("/api/v1/evaluation/datasets")
                .then().statusCode(201);
        item(project, "d", "x", "a", "A");
        String inline = "\"prompt\": {\"type\": \"text\", \"prompt\": \"{{input}}\"}";
        post(project, "{\"dataset\": \"d\", \"run_name\": \"r\"}", 400, "prompt is required");
        post(project, "{\"dataset\": \"d\", \"run_name\": \"r\", \"prompt\": {\"name\": \"p\", \"type\": \"text\", \"prompt\": \"x\"}}", 400,
                "not both");
        post(project, "{\"dataset\": \"d\", \"run_name\": \"r\", " + inline + "}", 400, "no model");
        post(project, "{\"dataset\": \"d\", \"run_name\": \"r\", \"model\": \"m\", \"prompt\": {\"type\": \"chat\", \"prompt\": \"x\"}}", 400,
                "chat prompt");
        post(project, "{\"dataset\": \"d\", \"run_name\": \"r\", \"model\": \"m\", " + inline + ", \"evaluators\": [{\"type\": \"nope\"}]}",
                400, "evaluators[0]");
        post(project, "{\"dataset\": \"d\", \"run_name\": \"r\", \"model\": \"m\", " + inline + ", \"concurrency\": 0}", 400, "concurrency");
        post(project, "{\"dataset\": \"missing\", \"run_name\": \"r\", \"model\": \"m\", " + inline + "}", 404, "missing");
        given().get("/api/v1/evaluation/experiments/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
    }

    private static void post(String project, String body, int status, String detail) {
        given().contentType("application/json").queryParam("unused", "x")
                .body(body.replaceFirst("\\{", "{\"project\": \"" + project + "\", "))
                .post("/api/v1/evaluation/experiments").then().statusCode(status).contentType("application/problem+json")
                .body("detail", containsString(detail));
    }

    @SuppressWarnings("unchecked")
    private static double score(Map<String, Object> item, String name) {
        List<Map<String, Object>> scores = (List<Map<String, Object>>) item.get("scores");
        return scores.stream().filter(s -> name.equals(s.get("name"))).map(s -> ((Number) s.get("value")).doubleValue()).findFirst().orElseThrow();
    }

    private static List<ConsumerRecord<String, String>> ofProject(ConsumerTask<String, String> out, String project) {
        return out.getRecords().stream().filter(r -> r.key() != null && r.key().startsWith(project + "/")).toList();
    }

    private static String type(ConsumerRecord<String, String> r) {
        return header(r, "ce_type");
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        var h = r.headers().lastHeader(name);
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
