package io.flywheel.monitor.llm.online;

import io.flywheel.events.ObservationUpserted;
import io.flywheel.events.TraceUpserted;
import io.flywheel.llm.eval.EvaluatorSpec;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.flywheel.monitor.support.Events.cloudEvent;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Online evaluators through the API, and generations sent on the traces topic as the gateway sends
 * them scored by the rules that sample them: the output read as stored (an output that came in a
 * later message than its create), only the prompt and observation the rule names, exactly the
 * sampled share, each score stored once per rule and observation with source EVAL; an LLM judge
 * through the test stack's chat endpoint (the launcher's llm-stub).
 */
@QuarkusTest
class OnlineEvaluationTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.incoming.traces.topic")
    String topic;

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String DIGITS = "{\"evaluator\":{\"type\":\"regex\",\"name\":\"digits_only\",\"params\":{\"pattern\":\"^\\\\d+$\"}},"
            + "\"sample_rate\":%s,\"prompt_name\":\"calc\"}";

    private static String project() {
        return "online-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private ProducerRecord<String, String> trace(String p, String id) {
        return cloudEvent(topic, p + "/" + id, TraceUpserted.TYPE,
                "{\"project\":\"%s\",\"id\":\"%s\",\"timestamp\":\"%s\",\"name\":\"chat\"}".formatted(p, id, Instant.now()));
    }

    /** A generation; {@code output} null leaves it out, {@code type} null too (an update that only adds the output). */
    private ProducerRecord<String, String> generation(String p, String traceId, String id, String type, String prompt, String output) {
        return generation(p, traceId, id, type, prompt, "What is 6 x 7?", output);
    }

    private ProducerRecord<String, String> generation(String p, String traceId, String id, String type, String prompt, String input,
                                                      String output) {
        StringBuilder body = new StringBuilder("{\"project\":\"%s\",\"id\":\"%s\",\"trace_id\":\"%s\"".formatted(p, id, traceId));
        if (type != null) {
            body.append(",\"type\":\"%s\",\"name\":\"llm\",\"model\":\"gpt-x\",\"prompt_name\":\"%s\",\"prompt_version\":1,\"input\":\"%s\""
                    .formatted(type, prompt, input));
        }
        if (output != null) {
            body.append(",\"output\":{\"role\":\"assistant\",\"content\":\"%s\"}".formatted(output));
        }
        body.append(",\"start_time\":\"%s\",\"received_at\":\"%s\"}".formatted(Instant.now(), Instant.now()));
        return cloudEvent(topic, p + "/" + traceId, ObservationUpserted.TYPE, body.toString());
    }

    private void publish(List<ProducerRecord<String, String>> records) {
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            kafka.produceStrings().fromRecords(records).awaitCompletion();
        }
    }

    private static JsonPath scores(String p) {
        return given().queryParam("project", p).queryParam("source", "EVAL").queryParam("limit", 500)
                .when().get("/api/v1/llm/scores").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void rulesAreCreatedListedCheckedAndDeleted() {
        String p = project();
        given().contentType(ContentType.JSON).queryParam("project", p).body(DIGITS.formatted("0.5"))
                .when().put("/api/v1/llm/online-evaluators/digits").then().statusCode(200)
                .body("name", equalTo("digits")).body("sample_rate", equalTo(0.5f)).body("evaluator.type", equalTo("regex"));
        given().queryParam("project", p).when().get("/api/v1/llm/online-evaluators").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].prompt_name", equalTo("calc"));

        given().contentType(ContentType.JSON).queryParam("project", p)
                .body("{\"evaluator\":{\"type\":\"regex\",\"params\":{\"pattern\":\"(\"}},\"sample_rate\":2}")
                .when().put("/api/v1/llm/online-evaluators/broken").then().statusCode(422)
                .contentType("application/problem+json")
                .body("detail", containsString("sample_rate")).body("detail", containsString("pattern"));
        given().contentType(ContentType.JSON).queryParam("project", p).body("{\"evaluator\":{\"type\":\"vibes\"}}")
                .when().put("/api/v1/llm/online-evaluators/broken").then().statusCode(422).body("detail", containsString("exact_match"));
        given().contentType(ContentType.JSON).queryParam("project", p).body("{}")
                .when().put("/api/v1/llm/online-evaluators/broken").then().statusCode(400);

        given().queryParam("project", p).when().delete("/api/v1/llm/online-evaluators/digits").then().statusCode(204);
        given().queryParam("project", p).when().delete("/api/v1/llm/online-evaluators/digits").then().statusCode(404);
        given().queryParam("project", p).when().get("/api/v1/llm/online-evaluators").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void sampledGenerationsOfTheNamedPromptAreScoredOnceTheirOutputIsStored() {
        String p = project();
        given().contentType(ContentType.JSON).queryParam("project", p).body(DIGITS.formatted("1"))
                .when().put("/api/v1/llm/online-evaluators/digits").then().statusCode(200);
        // the rules are read again every second in tests; the PUT itself refreshed this replica's
        publish(List.of(trace(p, "t1"),
                generation(p, "t1", "right", "GENERATION", "calc", "42"),
                generation(p, "t1", "wrong", "GENERATION", "calc", "forty-two"),
                generation(p, "t1", "other-prompt", "GENERATION", "chitchat", "42"),
                generation(p, "t1", "later", "GENERATION", "calc", null)));
        publish(List.of(generation(p, "t1", "later", null, null, "7")));

        await().atMost(WAIT).until(() -> scores(p).getList("items").size() >= 3);
        JsonPath scores = scores(p);
        Map<String, Float> byObservation = new java.util.HashMap<>();
        for (int i = 0; i < scores.getList("items").size(); i++) {
            byObservation.put(scores.getString("items[" + i + "].observation_id"), scores.getFloat("items[" + i + "].value"));
            assertThat(scores.getString("items[" + i + "].name")).isEqualTo("digits_only");
            assertThat(scores.getString("items[" + i + "].data_type")).isEqualTo("BOOLEAN");
            assertThat(scores.getString("items[" + i + "].trace_id")).isEqualTo("t1");
        }
        assertThat(byObservation).containsOnly(Map.entry("right", 1f), Map.entry("wrong", 0f), Map.entry("later", 1f));
    }

    /**
     * An LLM judge through the test stack's chat endpoint: llm-stub, which grades a response by its token
     * F1 against its own answer to the input when there is no expected output (llm-stub/README.md).
     */
    @Test
    void anLlmJudgeScoresThroughTheChatEndpoint() {
        String p = project();
        given().contentType(ContentType.JSON).queryParam("project", p).body("""
                        {"evaluator": {"type": "llm_judge", "name": "correct",
                                       "params": {"rubric": "Is the answer right?", "model": "stub-1", "min": 1, "max": 5}},
                         "sample_rate": 1}""")
                .when().put("/api/v1/llm/online-evaluators/judge").then().statusCode(200);
        String question = "What is the capital of France?";
        publish(List.of(trace(p, "t"), generation(p, "t", "good", "GENERATION", "capitals", question, "Paris"),
                generation(p, "t", "bad", "GENERATION", "capitals", question, "Berlin")));

        await().atMost(WAIT).until(() -> scores(p).getList("items").size() >= 2);
        JsonPath scores = scores(p);
        Map<String, Float> byObservation = new java.util.HashMap<>();
        for (int i = 0; i < 2; i++) {
            byObservation.put(scores.getString("items[" + i + "].observation_id"), scores.getFloat("items[" + i + "].value"));
            assertThat(scores.getString("items[" + i + "].data_type")).isEqualTo("NUMERIC");
            assertThat(scores.getString("items[" + i + "].comment")).contains("token F1");
        }
        assertThat(byObservation).containsOnly(Map.entry("good", 5f), Map.entry("bad", 1f));
    }

    @Test
    void exactlyTheSampledShareIsScored() {
        String p = project();
        given().contentType(ContentType.JSON).queryParam("project", p).body(DIGITS.formatted("0.3"))
                .when().put("/api/v1/llm/online-evaluators/digits").then().statusCode(200);
        OnlineEvaluator rule = new OnlineEvaluator(p, "digits", new EvaluatorSpec("regex", null, Map.of()), 0.3, null, "calc");
        List<ProducerRecord<String, String>> records = new ArrayList<>(List.of(trace(p, "t")));
        IntStream.range(0, 200).forEach(i -> records.add(generation(p, "t", "g" + i, "GENERATION", "calc", String.valueOf(i))));
        long expected = IntStream.range(0, 200).filter(i -> rule.samples("g" + i)).count();
        publish(records);

        await().atMost(WAIT).until(() -> scores(p).getList("items").size() >= expected);
        List<String> scored = scores(p).getList("items.observation_id");
        assertThat(scored).hasSize((int) expected)
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 200).filter(i -> rule.samples("g" + i)).mapToObj(i -> "g" + i).toList());
        assertThat(expected).isBetween(40L, 80L);
    }
}
