package io.flywheel.monitor.llm;

import io.flywheel.events.ObservationUpserted;
import io.flywheel.events.QualityDegraded;
import io.flywheel.events.ScoreUpserted;
import io.flywheel.events.TraceUpserted;
import io.flywheel.internalauth.TestCallers;
import io.flywheel.monitor.llm.score.ScoreMonitors;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.flywheel.monitor.support.Events.cloudEvent;
import static io.flywheel.monitor.support.Events.header;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/**
 * Score configs through both APIs, scores sent on the traces topic as the gateway sends them (checked
 * against their config by the consumer), their series per prompt version and model, and a score
 * monitor that raises quality.degraded on the monitor topic when a prompt version's scores drop.
 */
@QuarkusTest
class LlmScoresTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.incoming.traces.topic")
    String topic;

    @ConfigProperty(name = "mp.messaging.outgoing.monitor-events.topic")
    String monitorTopic;

    @Inject
    ScoreMonitors monitors;

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static String project() {
        return "proj-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private ProducerRecord<String, String> trace(String p, String id, Instant at) {
        return cloudEvent(topic, p + "/" + id, TraceUpserted.TYPE,
                "{\"project\":\"%s\",\"id\":\"%s\",\"timestamp\":\"%s\",\"name\":\"chat\"}".formatted(p, id, at));
    }

    private ProducerRecord<String, String> generation(String p, String traceId, String id, String prompt, int version, String model,
                                                      Instant at) {
        return cloudEvent(topic, p + "/" + traceId, ObservationUpserted.TYPE, """
                {"project":"%s","id":"%s","trace_id":"%s","type":"GENERATION","name":"llm","model":"%s","prompt_name":"%s",
                 "prompt_version":%d,"start_time":"%s","received_at":"%s"}""".formatted(p, id, traceId, model, prompt, version, at, at));
    }

    /** A score; {@code observation} null makes it a trace-level score, {@code value} is JSON (a number or a quoted label). */
    private ProducerRecord<String, String> score(String p, String traceId, String observation, String id, String name, String type,
                                                 String value, String configId, Instant at) {
        String field = value.startsWith("\"") ? "\"string_value\":" + value : "\"value\":" + value;
        return cloudEvent(topic, p + "/" + traceId, ScoreUpserted.TYPE, """
                {"project":"%s","id":"%s","trace_id":"%s",%s"name":"%s","data_type":"%s",%s,%s"timestamp":"%s"}""".formatted(p, id,
                traceId, observation == null ? "" : "\"observation_id\":\"" + observation + "\",", name, type, field,
                configId == null ? "" : "\"config_id\":\"" + configId + "\",", at));
    }

    private void publish(List<ProducerRecord<String, String>> records) {
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            kafka.produceStrings().fromRecords(records).awaitCompletion();
        }
    }

    private static String langfuse(String project) {
        return TestCallers.bearer("llm-project:" + project);
    }

    private static String createConfig(String p, String body) {
        return given().contentType(ContentType.JSON).body(body).queryParam("project", p)
                .when().post("/api/v1/llm/score-configs").then().statusCode(201).extract().path("id");
    }

    @Test
    void scoreConfigsAreCreatedReadAndPatchedThroughBothApis() {
        String p = project();
        String id = createConfig(p, "{\"name\":\"quality\",\"data_type\":\"NUMERIC\",\"min_value\":0,\"max_value\":1}");
        given().queryParam("project", p).when().get("/api/v1/llm/score-configs/{id}", id).then().statusCode(200)
                .body("name", equalTo("quality")).body("data_type", equalTo("NUMERIC")).body("max_value", equalTo(1.0f))
                .body("is_archived", equalTo(false));
        given().contentType(ContentType.JSON).body("{\"name\":\"bad\",\"data_type\":\"NUMERIC\",\"min_value\":1,\"max_value\":0}")
                .queryParam("project", p).when().post("/api/v1/llm/score-configs").then().statusCode(422)
                .contentType("application/problem+json").body("detail", equalTo("minValue (1.0) must be below maxValue (0.0)"));
        given().contentType(ContentType.JSON).body("{\"name\":\"bad\",\"data_type\":\"NUMERIC\"}")
                .when().post("/api/v1/llm/score-configs").then().statusCode(400).contentType("application/problem+json");

        // Langfuse's routes: the key pair's project, camelCase, its error shape
        String tone = given().header("Authorization", langfuse(p)).contentType(ContentType.JSON)
                .body("{\"name\":\"tone\",\"dataType\":\"CATEGORICAL\",\"categories\":[{\"value\":0,\"label\":\"rude\"},"
                        + "{\"value\":1,\"label\":\"polite\"}],\"description\":\"how it sounds\"}")
                .when().post("/api/public/score-configs").then().statusCode(200)
                .body("projectId", equalTo(p)).body("dataType", equalTo("CATEGORICAL")).body("isArchived", equalTo(false))
                .body("categories.label", contains("rude", "polite")).body("minValue", nullValue())
                .extract().path("id");
        given().header("Authorization", langfuse(p)).contentType(ContentType.JSON)
                .body("{\"name\":\"tone2\",\"dataType\":\"CATEGORICAL\",\"categories\":[]}")
                .when().post("/api/public/score-configs").then().statusCode(400)
                .body("error", equalTo("InvalidRequestError")).body("message", containsString("at least one category"));
        given().header("Authorization", langfuse(p)).queryParam("limit", 1).when().get("/api/public/score-configs").then().statusCode(200)
                .body("data", hasSize(1)).body("meta.totalItems", equalTo(2)).body("meta.totalPages", equalTo(2));
        given().header("Authorization", langfuse(p)).contentType(ContentType.JSON).body("{\"isArchived\":true}")
                .when().patch("/api/public/score-configs/{id}", tone).then().statusCode(200)
                .body("isArchived", equalTo(true)).body("description", equalTo("how it sounds"));
        given().header("Authorization", langfuse(p)).when().get("/api/public/score-configs/{id}", "nope").then().statusCode(404)
                .body("error", equalTo("LangfuseNotFoundError"));
        // another project's key pair does not see them
        given().header("Authorization", langfuse(project())).when().get("/api/public/score-configs/{id}", tone).then().statusCode(404);
        given().queryParam("project", p).contentType(ContentType.JSON).body("{\"min_value\":2}")
                .when().patch("/api/v1/llm/score-configs/{id}", id).then().statusCode(422);
    }

    @Test
    void invalidScoresAreRefusedAndValidOnesReadAsSeriesPerPromptVersionAndModel() {
        String p = project();
        String quality = createConfig(p, "{\"name\":\"quality\",\"data_type\":\"NUMERIC\",\"min_value\":0,\"max_value\":1}");
        String tone = createConfig(p, "{\"name\":\"tone\",\"data_type\":\"CATEGORICAL\",\"categories\":[{\"value\":0,\"label\":\"rude\"},"
                + "{\"value\":1,\"label\":\"polite\"}]}");
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));
        Instant at = hour.plus(Duration.ofMinutes(10));
        publish(List.of(
                trace(p, "t1", at), generation(p, "t1", "g1", "summarize", 1, "gpt-4o", at),
                trace(p, "t2", at), generation(p, "t2", "g2", "summarize", 2, "gpt-4o-mini", at),
                score(p, "t1", "g1", "out-of-range", "quality", "NUMERIC", "1.5", quality, at),
                score(p, "t2", null, "not-a-category", "tone", "CATEGORICAL", "\"angry\"", tone, at),
                score(p, "t1", "g1", "wrong-name", "correctness", "NUMERIC", "0.5", quality, at),
                score(p, "t1", "g1", "s1", "quality", "NUMERIC", "0.8", quality, at),
                score(p, "t1", "g1", "s2", "quality", "NUMERIC", "0.6", quality, at.plusSeconds(60)),
                score(p, "t2", null, "s3", "quality", "NUMERIC", "0.4", quality, at),
                score(p, "t2", null, "s4", "tone", "CATEGORICAL", "\"polite\"", tone, at),
                score(p, "t2", null, "last", "tone", "NUMERIC", "0", tone, at)));

        // the records of one trace are read in order: once its last valid score is stored, the refused ones before it were judged
        await().atMost(WAIT).untilAsserted(() -> given().queryParam("project", p).when().get("/api/v1/llm/scores").then()
                .statusCode(200).body("items.id", hasItems("s2", "last")));
        JsonPath stored = given().queryParam("project", p).when().get("/api/v1/llm/scores").then().statusCode(200).extract().jsonPath();
        assertThat(stored.getList("items.id", String.class)).containsExactlyInAnyOrder("s1", "s2", "s3", "s4", "last");
        // a category named by its label gets its value, one named by its value gets its label
        given().queryParam("project", p).queryParam("name", "tone").when().get("/api/v1/llm/scores").then()
                .body("items.find { it.id == 's4' }.value", equalTo(1.0f))
                .body("items.find { it.id == 'last' }.string_value", equalTo("rude"))
                .body("items.find { it.id == 'last' }.data_type", equalTo("CATEGORICAL"));

        JsonPath byPrompt = given().queryParam("project", p).queryParam("name", "quality").queryParam("group_by", "prompt")
                .queryParam("interval", "PT1H").queryParam("from", hour.minus(Duration.ofHours(1)).toString())
                .queryParam("to", hour.plus(Duration.ofHours(1)).toString())
                .when().get("/api/v1/llm/scores/series").then().statusCode(200)
                .body("name", equalTo("quality")).body("group_by", equalTo("prompt")).body("interval", equalTo("PT1H"))
                .extract().jsonPath();
        assertThat(byPrompt.getList("series.group")).containsExactly("summarize v1", "summarize v2");
        assertThat(byPrompt.getInt("series[0].prompt_version")).isEqualTo(1);
        assertThat(byPrompt.getString("series[0].model")).isNull();
        assertThat(byPrompt.getList("series[0].points.count", Integer.class)).containsExactly(0, 2);
        assertThat(byPrompt.getString("series[0].points[0].mean")).isNull();
        assertThat(byPrompt.getDouble("series[0].points[1].mean")).isEqualTo(0.7, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(byPrompt.getString("series[0].points[1].start")).isEqualTo(hour.toString());
        assertThat(byPrompt.getList("series[1].points.count", Integer.class)).containsExactly(0, 1);
        assertThat(byPrompt.getDouble("series[1].points[1].mean")).isEqualTo(0.4, org.assertj.core.data.Offset.offset(1e-9));

        JsonPath byModel = given().queryParam("project", p).queryParam("name", "quality").queryParam("group_by", "model")
                .queryParam("from", hour.toString()).queryParam("to", hour.plus(Duration.ofHours(1)).toString())
                .when().get("/api/v1/llm/scores/series").then().statusCode(200).extract().jsonPath();
        assertThat(byModel.getList("series.group")).containsExactly("gpt-4o", "gpt-4o-mini");
        assertThat(byModel.getString("series[0].prompt_name")).isNull();
        assertThat(byModel.getInt("series[0].points[0].count")).isEqualTo(2);
        assertThat(byModel.getInt("series[1].points[0].count")).isEqualTo(1);

        // a range that starts between microseconds (Instant.now() has nanoseconds) still counts every score
        Instant fine = hour.minus(Duration.ofMinutes(30)).plusNanos(123_456_789);
        given().queryParam("project", p).queryParam("name", "quality").queryParam("group_by", "model").queryParam("interval", "PT2H")
                .queryParam("from", fine.toString()).queryParam("to", fine.plus(Duration.ofHours(2)).toString())
                .when().get("/api/v1/llm/scores/series").then().statusCode(200)
                .body("series[0].points[0].count", equalTo(2)).body("series[1].points[0].count", equalTo(1));

        given().queryParam("project", p).queryParam("name", "tone").queryParam("from", hour.toString())
                .queryParam("to", hour.plus(Duration.ofHours(1)).toString())
                .when().get("/api/v1/llm/scores/series").then().statusCode(200)
                .body("series[0].points[0].categories.polite", equalTo(1)).body("series[0].points[0].categories.rude", equalTo(1))
                .body("series[0].points[0].mean", nullValue());

        given().queryParam("project", p).queryParam("name", "quality").queryParam("interval", "PT30S")
                .when().get("/api/v1/llm/scores/series").then().statusCode(400).body("detail", containsString("at least PT1M"));
        given().queryParam("project", p).queryParam("name", "quality").queryParam("interval", "PT1M")
                .queryParam("from", "2026-01-01T00:00:00Z").queryParam("to", "2026-01-02T00:00:00Z")
                .when().get("/api/v1/llm/scores/series").then().statusCode(400).body("detail", containsString("1440 buckets"));
        given().queryParam("project", p).queryParam("name", "quality").queryParam("group_by", "user")
                .when().get("/api/v1/llm/scores/series").then().statusCode(400);
    }

    @Test
    void aPromptVersionWhoseScoresDropRaisesQualityDegradedOncePerWindow() {
        String p = project();
        given().queryParam("project", p).contentType(ContentType.JSON).body("{\"score_name\":\"helpful\",\"window\":\"PT10S\"}")
                .when().put("/api/v1/llm/score-monitors").then().statusCode(422)
                .body("detail", equalTo("window must be at least PT1M, was PT10S; set at least one of min_mean, max_drop or drift_alpha"));

        Instant before = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
        Instant dropped = before.plus(Duration.ofHours(1));
        double[] high = {0.9, 0.8, 0.85, 0.95, 0.9, 0.88, 0.92, 0.87};
        double[] low = {0.5, 0.4, 0.6, 0.55, 0.45, 0.5, 0.52, 0.48};
        List<ProducerRecord<String, String>> records = new ArrayList<>(List.of(trace(p, "t", before),
                generation(p, "t", "g", "answer", 3, "gpt-4o", before)));
        for (int i = 0; i < high.length; i++) {
            // trace-level scores: they belong to the trace's prompt version
            records.add(score(p, "t", null, "a" + i, "helpful", "NUMERIC", Double.toString(high[i]), null, before.plusSeconds(60L * i)));
            records.add(score(p, "t", null, "b" + i, "helpful", "NUMERIC", Double.toString(low[i]), null, dropped.plusSeconds(60L * i)));
        }
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> verdicts = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(monitorTopic)) {
            kafka.produceStrings().fromRecords(records).awaitCompletion();
            // the monitor starts once every score is stored, so the window it judges is the whole one
            await().atMost(WAIT).untilAsserted(() -> given().queryParam("project", p).queryParam("name", "helpful")
                    .queryParam("from", before.toString()).queryParam("to", dropped.plus(Duration.ofHours(1)).toString())
                    .when().get("/api/v1/llm/scores/series").then().statusCode(200)
                    .body("series[0].points.count", contains(8, 8)));
            given().queryParam("project", p).contentType(ContentType.JSON)
                    .body("{\"score_name\":\"helpful\",\"group_by\":\"prompt\",\"window\":\"PT1H\",\"min_count\":5,\"max_drop\":0.2,"
                            + "\"drift_alpha\":0.01}")
                    .when().put("/api/v1/llm/score-monitors").then().statusCode(200)
                    .body("baseline", equalTo("previous_window")).body("lookback_windows", equalTo(24)).body("window", equalTo("PT1H"));
            await().atMost(WAIT).until(() -> degraded(verdicts, p).size() == 1);
            ConsumerRecord<String, String> event = degraded(verdicts, p).getFirst();
            assertThat(event.key()).isEqualTo(p + "/answer");
            JsonPath e = JsonPath.from(event.value());
            assertThat(e.getString("kind")).isEqualTo(QualityDegraded.KIND_LLM_SCORE);
            assertThat(e.getString("model")).isEqualTo("answer");
            assertThat(e.getInt("version")).isEqualTo(3);
            assertThat(e.getString("llm.prompt_name")).isEqualTo("answer");
            assertThat(e.getInt("llm.prompt_version")).isEqualTo(3);
            assertThat(e.getString("llm.score_name")).isEqualTo("helpful");
            assertThat(e.getString("metric")).isEqualTo("score_mean_drop");
            assertThat(e.getDouble("value")).isCloseTo(0.38375, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(e.getString("window_start")).isEqualTo(dropped.toString());
            assertThat(e.getLong("samples")).isEqualTo(8);
            assertThat(e.getList("evidence.failed")).containsExactly("score_mean_drop", "score_drift");
            assertThat(e.getDouble("evidence.drift_p_value")).isCloseTo(0.00015540015540015537, org.assertj.core.data.Offset.offset(1e-10));

            // the monitor's record of it, as sent
            await().atMost(WAIT).untilAsserted(() -> given().queryParam("project", p).when().get("/api/v1/llm/score-monitors/degradations")
                    .then().statusCode(200).body("size()", equalTo(1)).body("[0].sent", equalTo(true))
                    .body("[0].event_id", equalTo(header(event, "ce_id")))
                    .body("[0].event.llm.prompt_version", equalTo(3)).body("[0].event.metric", equalTo("score_mean_drop")));

            // judged again, the same window is not reported again
            assertThat(monitors.evaluateAll(Instant.now()).await().atMost(WAIT)).isZero();
            given().queryParam("project", p).when().get("/api/v1/llm/score-monitors").then().statusCode(200)
                    .body("score_name", contains("helpful"));
        }
    }

    private static List<ConsumerRecord<String, String>> degraded(ConsumerTask<String, String> task, String project) {
        return task.stream().filter(r -> QualityDegraded.TYPE.equals(header(r, "ce_type")) && r.key() != null
                && r.key().startsWith(project + "/")).toList();
    }
}
