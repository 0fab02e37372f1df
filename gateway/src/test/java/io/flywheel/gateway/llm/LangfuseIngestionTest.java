package io.flywheel.gateway.llm;

import io.flywheel.events.ObservationUpserted;
import io.flywheel.events.ScoreUpserted;
import io.flywheel.events.TraceUpserted;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static io.flywheel.gateway.llm.TraceRecords.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

/** Langfuse's batch ingestion: 207 with both arrays, every valid event on flywheel.traces as a CloudEvent keyed by project/trace. */
@QuarkusTest
class LangfuseIngestionTest {

    private static final String TS = "2026-12-06T10:00:00.000Z";

    private static String event(String id, String type, String body) {
        return "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"timestamp\":\"" + TS + "\",\"body\":" + body + "}";
    }

    @Test
    void aBatchIs207WithEveryEventAccountedForAndItsRecordsOnKafka() {
        LlmTestProjects.Project project = LlmTestProjects.create("ingest");
        String batch = "{\"batch\":["
                + event("e-score", "score-create", "{\"id\":\"s1\",\"traceId\":\"t1\",\"name\":\"quality\",\"value\":0.9}") + ","
                + event("e-trace", "trace-create", "{\"id\":\"t1\",\"name\":\"chat\",\"userId\":\"u1\",\"sessionId\":\"sess-1\",\"tags\":[\"a\"]}") + ","
                + event("e-gen", "generation-create", "{\"id\":\"g1\",\"traceId\":\"t1\",\"name\":\"llm\",\"model\":\"gpt-4o\","
                        + "\"startTime\":\"" + TS + "\",\"usageDetails\":{\"input\":10,\"output\":5}}") + ","
                + event("e-log", "sdk-log", "{\"log\":\"hello\"}") + ","
                + event("e-bad", "score-create", "{\"id\":\"s2\",\"traceId\":\"t1\",\"value\":1}")
                + "],\"metadata\":{\"sdk_name\":\"langfuse-js\",\"batch_size\":5}}";
        try (TraceRecords records = new TraceRecords()) {
            project.given().contentType(ContentType.JSON).body(batch)
                    .when().post("/api/public/ingestion")
                    .then().statusCode(207)
                    .contentType("application/json")
                    .body("successes.id", containsInAnyOrder("e-score", "e-trace", "e-gen", "e-log"))
                    .body("successes.status", org.hamcrest.Matchers.everyItem(equalTo(201)))
                    .body("errors", hasSize(1))
                    .body("errors[0].id", equalTo("e-bad"))
                    .body("errors[0].status", equalTo(400))
                    .body("errors[0].message", notNullValue());

            await().atMost(Duration.ofSeconds(30)).until(() -> records.of(project.id()).size() >= 3);
            ConsumerRecord<String, String> trace = records.of(project.id(), TraceUpserted.TYPE).getFirst();
            assertThat(trace.key()).isEqualTo(project.id() + "/t1");
            assertThat(header(trace, "ce_source")).isEqualTo("flywheel/gateway");
            assertThat(header(trace, "ce_subject")).isEqualTo(project.id() + "/t1");
            assertThat(header(trace, "ce_id")).isNotBlank();
            assertThat(trace.value()).contains("\"id\":\"t1\"").contains("\"project\":\"" + project.id() + "\"").contains("u1");
            ConsumerRecord<String, String> generation = records.of(project.id(), ObservationUpserted.TYPE).getFirst();
            assertThat(generation.key()).isEqualTo(project.id() + "/t1");
            assertThat(generation.value()).contains("\"id\":\"g1\"").contains("gpt-4o").contains("GENERATION");
            ConsumerRecord<String, String> score = records.of(project.id(), ScoreUpserted.TYPE).getFirst();
            assertThat(score.key()).isEqualTo(project.id() + "/t1");
            assertThat(score.value()).contains("quality");
            // the invalid score published nothing
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> records.of(project.id(), ScoreUpserted.TYPE).size() == 1);
        }
    }

    @Test
    void bothArraysAreAlwaysThere() {
        LlmTestProjects.Project project = LlmTestProjects.create("empty");
        project.given().contentType(ContentType.JSON).body("{\"batch\":[]}")
                .when().post("/api/public/ingestion")
                .then().statusCode(207)
                .body("successes", empty())
                .body("errors", empty());
    }

    @Test
    void aMalformedEnvelopeIs400InLangfusesShape() {
        LlmTestProjects.Project project = LlmTestProjects.create("malformed");
        for (String body : List.of("{\"batch\":\"nope\"}", "{\"batch\": [", "[]", "not json at all")) {
            project.given().contentType(ContentType.JSON).body(body)
                    .when().post("/api/public/ingestion")
                    .then().statusCode(400)
                    .contentType("application/json")
                    .body("message", equalTo("Invalid request data"))
                    .body("error", notNullValue());
        }
    }

    @Test
    void aChunkedBodyWithoutALengthIsTaken() throws Exception {
        LlmTestProjects.Project project = LlmTestProjects.create("chunked");
        String batch = "{\"batch\":[" + event("e1", "trace-create", "{\"id\":\"t-chunked\",\"name\":\"x\"}") + "]}";
        var answer = Chunked.post("/api/public/ingestion", project.basic(), "application/json",
                batch.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(answer.statusCode()).isEqualTo(207);
        assertThat(answer.body()).contains("\"successes\":[{\"id\":\"e1\",\"status\":201}]").contains("\"errors\":[]");
    }

    @Test
    void batchesOver5MiBAre413WithOrWithoutALength() throws Exception {
        LlmTestProjects.Project project = LlmTestProjects.create("big");
        byte[] big = new byte[5 * 1024 * 1024 + 1];
        Arrays.fill(big, (byte) ' ');
        project.given().contentType(ContentType.JSON).body(big)
                .when().post("/api/public/ingestion")
                .then().statusCode(413);
        // chunked: cut off at the limit, in Langfuse's shape
        var cut = Chunked.post("/api/public/ingestion", project.basic(), "application/json", big);
        assertThat(cut.statusCode()).isEqualTo(413);
        assertThat(cut.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(cut.body()).contains("\"message\"").contains("too large");
        // just under the limit, chunked, is read whole (and is not a batch)
        byte[] under = new byte[5 * 1024 * 1024];
        Arrays.fill(under, (byte) ' ');
        var read = Chunked.post("/api/public/ingestion", project.basic(), "application/json", under);
        assertThat(read.statusCode()).isEqualTo(400);
        assertThat(read.body()).contains("Invalid request data");
    }
}
