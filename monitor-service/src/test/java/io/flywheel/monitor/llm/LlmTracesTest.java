package io.flywheel.monitor.llm;

import io.flywheel.events.ObservationUpserted;
import io.flywheel.events.ScoreUpserted;
import io.flywheel.events.TraceBatch;
import io.flywheel.events.TraceUpserted;
import io.flywheel.internalauth.TestCallers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * Trace events published to the traces topic as the gateway publishes them (binary CloudEvents, snake_case
 * JSON, a plain Kafka producer), read back through Flywheel's API and Langfuse's.
 */
@QuarkusTest
class LlmTracesTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.incoming.traces.topic")
    String topic;

    @ConfigProperty(name = "mp.messaging.outgoing.dead-letters.topic")
    String deadLetterTopic;

    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool db;

    private static final Duration WAIT = Duration.ofSeconds(60);

    record Sent(String id, String type, String key, String json) {
    }

    private static String project() {
        return "proj-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Sent event(String type, String key, String json) {
        return new Sent(UUID.randomUUID().toString(), type, key, json);
    }

    private static Sent trace(String project, String id, String fields, String receivedAt) {
        return event(TraceUpserted.TYPE, project + "/" + id,
                "{\"project\":\"%s\",\"id\":\"%s\",%s\"received_at\":\"%s\"}".formatted(project, id, fields, receivedAt));
    }

    private static Sent observation(String project, String traceId, String id, String fields, String receivedAt) {
        return event(ObservationUpserted.TYPE, project + "/" + traceId,
                "{\"project\":\"%s\",\"id\":\"%s\",\"trace_id\":\"%s\",%s\"received_at\":\"%s\"}".formatted(project, id, traceId, fields,
                        receivedAt));
    }

    private static Sent score(String project, String traceId, String id, String fields) {
        return event(ScoreUpserted.TYPE, project + "/" + traceId,
                "{\"project\":\"%s\",\"id\":\"%s\",\"trace_id\":\"%s\",%s}".formatted(project, id, traceId, fields));
    }

    private void publish(List<Sent> events) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.ACKS_CONFIG, "all"))) {
            for (Sent e : events) {
                RecordHeaders headers = new RecordHeaders();
                headers.add("ce_specversion", bytes("1.0"));
                headers.add("ce_id", bytes(e.id()));
                headers.add("ce_type", bytes(e.type()));
                headers.add("ce_source", bytes("flywheel/gateway"));
                headers.add("content-type", bytes("application/json"));
                producer.send(new ProducerRecord<>(topic, null, e.key(), e.json(), headers));
            }
            producer.flush();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String langfuse(String project) {
        return TestCallers.bearer("llm-project:" + project);
    }

    private static ValidatableResponse v1(String path, Object... params) {
        return given().when().get(path, params).then();
    }

    @Test
    void outOfOrderMessagesMergeIntoOneTraceWithItsTreeCostAndScores() {
        String p = project();
        // the order the SDKs send: scores first, updates before their creates, partial trace updates
        publish(List.of(
                score(p, "t1", "s1", "\"name\":\"correct\",\"value\":1,\"string_value\":\"True\",\"data_type\":\"BOOLEAN\","
                        + "\"timestamp\":\"2025-01-01T00:00:09Z\""),
                observation(p, "t1", "g1", "\"end_time\":\"2025-01-01T00:00:04Z\",\"usage_details\":{\"input\":1000,\"output\":200},"
                        + "\"output\":{\"text\":\"hi\"},", "2025-01-01T00:00:05Z"),
                trace(p, "t1", "\"tags\":[\"prod\",\"beta\"],\"output\":\"done\",\"metadata\":{\"k\":\"later\"},", "2025-01-01T00:00:06Z"),
                trace(p, "t1", "\"timestamp\":\"2025-01-01T00:00:00Z\",\"name\":\"chat\",\"user_id\":\"u1\",\"session_id\":\"sess-1\","
                        + "\"tags\":[\"old\"],\"environment\":\"production\",\"input\":{\"q\":\"hello\"},"
                        + "\"metadata\":{\"k\":\"first\",\"a\":\"1\"},", "2025-01-01T00:00:01Z"),
                observation(p, "t1", "e1", "\"type\":\"EVENT\",\"name\":\"log\",\"parent_observation_id\":\"g1\","
                        + "\"start_time\":\"2025-01-01T00:00:03Z\",", "2025-01-01T00:00:03Z"),
                observation(p, "t1", "g1", "\"type\":\"GENERATION\",\"name\":\"llm\",\"parent_observation_id\":\"s1\",\"model\":\"gpt-4o\","
                        + "\"start_time\":\"2025-01-01T00:00:02Z\",\"completion_start_time\":\"2025-01-01T00:00:02.500Z\","
                        + "\"model_parameters\":{\"temperature\":0.2},\"output\":{\"text\":\"stale\"},", "2025-01-01T00:00:02Z"),
                observation(p, "t1", "s1", "\"type\":\"SPAN\",\"name\":\"root\",\"start_time\":\"2025-01-01T00:00:01Z\","
                        + "\"end_time\":\"2025-01-01T00:00:05Z\",", "2025-01-01T00:00:02Z")));

        await().atMost(WAIT).untilAsserted(() -> v1("/api/v1/llm/traces/t1?project=" + p).statusCode(200)
                .body("observations", hasSize(1)).body("observations[0].children[0].children", hasSize(1))
                .body("scores", hasSize(1)).body("name", equalTo("chat")));

        v1("/api/v1/llm/traces/t1?project=" + p)
                .body("user_id", equalTo("u1"))
                .body("session_id", equalTo("sess-1"))
                .body("tags", contains("beta", "old", "prod"))       // both messages' tags, sorted, as Langfuse keeps them
                .body("metadata.k", equalTo("later")).body("metadata.a", equalTo("1")) // keys merged, the later's value
                .body("input.q", equalTo("hello"))                  // kept: the update did not send it
                .body("output", equalTo("done"))
                .body("timestamp", equalTo("2025-01-01T00:00:00Z"))
                .body("latency_ms", equalTo(4000.0f))
                .body("observation_count", equalTo(3))
                .body("models", contains("gpt-4o"))
                .body("observations[0].id", equalTo("s1"))
                .body("observations[0].children[0].id", equalTo("g1"))
                .body("observations[0].children[0].type", equalTo("GENERATION"))
                .body("observations[0].children[0].output.text", equalTo("hi"))   // the update was received later
                .body("observations[0].children[0].model_parameters.temperature", equalTo(0.2f))
                .body("observations[0].children[0].latency_ms", equalTo(2000.0f))
                .body("observations[0].children[0].time_to_first_token_ms", equalTo(500.0f))
                .body("observations[0].children[0].cost_source", equalTo("calculated"))
                // gpt-4o from 2024-10-02: $2.5 / $10 per million tokens
                .body("observations[0].children[0].calculated_cost_details.input", equalTo(0.0025f))
                .body("observations[0].children[0].calculated_cost_details.output", equalTo(0.002f))
                .body("observations[0].children[0].total_cost", equalTo(0.0045f))
                .body("observations[0].children[0].price.model", equalTo("gpt-4o"))
                .body("observations[0].children[0].children[0].id", equalTo("e1"))
                .body("observations[0].totals.total_tokens", equalTo(1200))
                .body("observations[0].totals.total_cost", equalTo(0.0045f))
                .body("totals.total_cost", equalTo(0.0045f))
                .body("scores[0].name", equalTo("correct"))
                .body("scores[0].string_value", equalTo("True"));

        // the same trace in Langfuse's shape
        given().header("Authorization", langfuse(p)).when().get("/api/public/traces/t1").then().statusCode(200)
                .body("id", equalTo("t1"))
                .body("userId", equalTo("u1"))
                .body("sessionId", equalTo("sess-1"))
                .body("latency", equalTo(4.0f))
                .body("totalCost", equalTo(0.0045f))
                .body("public", equalTo(false))
                .body("htmlPath", equalTo("/project/" + p + "/traces/t1"))
                .body("observations.id", containsInAnyOrder("s1", "g1", "e1"))
                .body("observations.find { it.id == 'g1' }.parentObservationId", equalTo("s1"))
                .body("observations.find { it.id == 'g1' }.usage.input", equalTo(1000))
                .body("observations.find { it.id == 'g1' }.calculatedTotalCost", equalTo(0.0045f))
                .body("observations.find { it.id == 'g1' }.costDetails.output", equalTo(0.002f))
                .body("observations.find { it.id == 'g1' }.timeToFirstToken", equalTo(0.5f))
                .body("observations.find { it.id == 'e1' }.level", equalTo("DEFAULT"))
                .body("scores[0].dataType", equalTo("BOOLEAN"))
                .body("scores[0].value", equalTo(1.0f));
        given().header("Authorization", langfuse(p)).when().get("/api/public/traces").then().statusCode(200)
                .body("data", hasSize(1))
                .body("data[0].observations", containsInAnyOrder("s1", "g1", "e1"))
                .body("data[0].scores", contains("s1"))
                .body("meta.page", equalTo(1)).body("meta.limit", equalTo(50))
                .body("meta.totalItems", equalTo(1)).body("meta.totalPages", equalTo(1));
        given().header("Authorization", langfuse(p)).when().get("/api/public/observations/g1").then().statusCode(200)
                .body("model", equalTo("gpt-4o")).body("type", equalTo("GENERATION"));
        given().header("Authorization", langfuse(p)).when().get("/api/public/sessions/sess-1").then().statusCode(200)
                .body("id", equalTo("sess-1")).body("projectId", equalTo(p)).body("environment", equalTo("production"))
                .body("traces.id", contains("t1"));
        given().header("Authorization", langfuse(p)).when().get("/api/public/v2/scores?traceId=t1").then().statusCode(200)
                .body("data.id", contains("s1")).body("meta.totalItems", equalTo(1));

        // a later update of the stored trace, as Langfuse's v3 SDK sends it: a fresh timestamp, no environment
        publish(List.of(trace(p, "t1", "\"timestamp\":\"2025-01-01T00:01:00Z\",\"name\":\"chat-2\",\"tags\":[\"new\",\"beta\"],"
                + "\"metadata\":{\"k\":\"newest\",\"b\":\"2\"},", "2025-01-01T00:01:00Z")));
        await().atMost(WAIT).untilAsserted(() -> v1("/api/v1/llm/traces/t1?project=" + p).body("name", equalTo("chat-2")));
        v1("/api/v1/llm/traces/t1?project=" + p)
                .body("tags", contains("beta", "new", "old", "prod"))  // united with the stored ones in SQL
                .body("metadata.k", equalTo("newest")).body("metadata.a", equalTo("1")).body("metadata.b", equalTo("2"))
                .body("timestamp", equalTo("2025-01-01T00:00:00Z"))   // the earliest sent
                .body("environment", equalTo("production"));          // not sent: kept
    }

    @Test
    void aRedeliveredEventIsStoredOnce() {
        String p = project();
        Sent create = trace(p, "r1", "\"name\":\"first\",", "2025-02-01T00:00:00Z");
        Sent gen = observation(p, "r1", "rg", "\"type\":\"GENERATION\",\"model\":\"gpt-4o-mini\",\"start_time\":\"2025-02-01T00:00:00Z\","
                + "\"usage_details\":{\"input\":100},", "2025-02-01T00:00:00Z");
        double before = duplicates();
        publish(List.of(create, gen, create, gen)); // redelivered in the same poll
        await().atMost(WAIT).untilAsserted(() -> v1("/api/v1/llm/traces/r1?project=" + p).statusCode(200)
                .body("observation_count", equalTo(1)));
        publish(List.of(create, gen)); // and in a later one
        await().atMost(WAIT).until(() -> duplicates() - before >= 4);
        v1("/api/v1/llm/traces/r1?project=" + p).statusCode(200).body("name", equalTo("first"))
                .body("observation_count", equalTo(1)).body("totals.input_tokens", equalTo(100));
        v1("/api/v1/llm/observations?project=" + p).statusCode(200).body("items", hasSize(1));
    }

    /**
     * The gateway publishes a request's events of one trace as one {@link TraceBatch} record: its events are
     * stored together, and a redelivered batch (same CloudEvent id, in the same poll or a later one) is
     * dropped whole, so the trace's totals count each observation once.
     */
    @Test
    void aTraceBatchIsStoredWholeAndARedeliveredOneOnce() {
        String p = project();
        String t = trace(p, "b1", "\"name\":\"batched\",", "2025-02-02T00:00:00Z").json();
        String g1 = observation(p, "b1", "bg1", "\"type\":\"GENERATION\",\"model\":\"gpt-4o-mini\",\"start_time\":\"2025-02-02T00:00:00Z\","
                + "\"usage_details\":{\"input\":100,\"output\":10},", "2025-02-02T00:00:00Z").json();
        String g2 = observation(p, "b1", "bg2", "\"type\":\"GENERATION\",\"model\":\"gpt-4o-mini\",\"start_time\":\"2025-02-02T00:00:01Z\","
                + "\"usage_details\":{\"input\":50,\"output\":5},", "2025-02-02T00:00:00Z").json();
        Sent batch = event(TraceBatch.TYPE, p + "/b1", "{\"traces\":[" + t + "],\"observations\":[" + g1 + "," + g2 + "]}");
        double before = duplicates();
        publish(List.of(batch, batch)); // redelivered in the same poll
        await().atMost(WAIT).untilAsserted(() -> v1("/api/v1/llm/traces/b1?project=" + p).statusCode(200)
                .body("name", equalTo("batched")).body("observation_count", equalTo(2)));
        publish(List.of(batch)); // and in a later one
        await().atMost(WAIT).until(() -> duplicates() - before >= 6);
        v1("/api/v1/llm/traces/b1?project=" + p).statusCode(200).body("observation_count", equalTo(2))
                .body("totals.input_tokens", equalTo(150)).body("totals.output_tokens", equalTo(15));
        v1("/api/v1/llm/observations?project=" + p).statusCode(200).body("items", hasSize(2));
    }

    /**
     * A trace's totals are added to when only new observations arrive and recomputed when a stored one
     * changes: after each kind of batch they equal the totals computed from its stored observations.
     */
    @Test
    void traceTotalsKeptBatchByBatchEqualTheTotalsOfItsStoredObservations() {
        String p = project();
        publish(List.of(
                observation(p, "a1", "o1", "\"type\":\"GENERATION\",\"model\":\"gpt-4o\",\"start_time\":\"2025-03-01T00:00:01.0000005Z\","
                        + "\"end_time\":\"2025-03-01T00:00:02Z\",\"usage_details\":{\"input\":1000,\"output\":200},", "2025-03-01T00:00:03Z"),
                observation(p, "a1", "o2", "\"type\":\"SPAN\",\"start_time\":\"2025-03-01T00:00:02Z\",", "2025-03-01T00:00:03Z")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(totals(p, "a1").get(0)).isEqualTo(2));
        assertThat(totals(p, "a1")).as("stored against recomputed").isEqualTo(recomputedTotals(p, "a1"));

        // only new ones: added to the stored totals (an earlier start, a later end, a given cost, a second model)
        publish(List.of(
                observation(p, "a1", "o3", "\"type\":\"GENERATION\",\"model\":\"claude-3-5-sonnet-20241022\","
                        + "\"start_time\":\"2025-03-01T00:00:00.25Z\",\"end_time\":\"2025-03-01T00:00:09.5Z\","
                        + "\"usage_details\":{\"input\":10,\"output\":5},\"cost_details\":{\"total\":0.125},", "2025-03-01T00:00:10Z"),
                observation(p, "a1", "o4", "\"type\":\"EVENT\",\"start_time\":\"2025-03-01T00:00:04Z\",", "2025-03-01T00:00:10Z")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(totals(p, "a1").get(0)).isEqualTo(4));
        assertThat(totals(p, "a1")).isEqualTo(recomputedTotals(p, "a1"));
        assertThat(totals(p, "a1").get(5).toString()).isEqualTo("{claude-3-5-sonnet-20241022,gpt-4o}");

        // a stored one changes (another model and usage) beside a new one: recomputed
        publish(List.of(
                observation(p, "a1", "o1", "\"model\":\"gpt-4o-mini\",\"usage_details\":{\"input\":7},", "2025-03-01T00:00:11Z"),
                observation(p, "a1", "o5", "\"type\":\"SPAN\",\"start_time\":\"2025-03-01T00:00:05Z\","
                        + "\"end_time\":\"2025-03-01T00:00:12Z\",", "2025-03-01T00:00:11Z")));
        await().atMost(WAIT).untilAsserted(() -> assertThat(totals(p, "a1").get(0)).isEqualTo(5));
        assertThat(totals(p, "a1")).isEqualTo(recomputedTotals(p, "a1"));
        assertThat(totals(p, "a1").get(5).toString()).isEqualTo("{claude-3-5-sonnet-20241022,gpt-4o-mini}");
        v1("/api/v1/llm/traces/a1?project=" + p).statusCode(200).body("latency_ms", equalTo(11750.0f))
                .body("totals.input_tokens", equalTo(17));
    }

    /** observation_count, bounds, latency, cost, tokens and models as llm_trace holds them, as text. */
    private List<Object> totals(String project, String traceId) {
        return row("""
                SELECT observation_count, observations_start::text, observations_end::text, latency_ms::text,
                  total_cost::text, models::text, input_tokens, output_tokens, total_tokens
                FROM llm_trace WHERE project = $1 AND id = $2""", project, traceId);
    }

    private List<Object> recomputedTotals(String project, String traceId) {
        return row("""
                SELECT count(*)::int, min(start_time)::text, max(COALESCE(end_time, start_time))::text,
                  (EXTRACT(EPOCH FROM (max(COALESCE(end_time, start_time)) - min(start_time))) * 1000)::double precision::text,
                  sum(total_cost)::text, (array_agg(DISTINCT model ORDER BY model) FILTER (WHERE model IS NOT NULL))::text,
                  sum(input_tokens)::bigint, sum(output_tokens)::bigint, sum(total_tokens)::bigint
                FROM llm_observation WHERE project = $1 AND trace_id = $2""", project, traceId);
    }

    private List<Object> row(String sql, String project, String traceId) {
        var rows = db.preparedQuery(sql).execute(io.vertx.mutiny.sqlclient.Tuple.of(project, traceId)).await().atMost(Duration.ofSeconds(10));
        if (rows.size() == 0) {
            return List.of(-1);
        }
        var r = rows.iterator().next();
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
            out.add(r.getValue(i) == null ? "null" : r.getValue(i));
        }
        return out;
    }

    private static double duplicates() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("flywheel_monitor_llm_duplicates_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void listsFilterAndPageInBothApis() {
        String p = project();
        List<Sent> events = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            String id = "f" + i;
            String time = "2025-03-0" + i + "T00:00:00Z";
            String tags = i % 2 == 0 ? "[\"a\",\"b\"]" : "[\"a\"]";
            events.add(trace(p, id, "\"timestamp\":\"%s\",\"name\":\"%s\",\"user_id\":\"%s\",\"session_id\":\"%s\",\"tags\":%s,\"environment\":\"%s\",\"release\":\"r%d\","
                    .formatted(time, i <= 3 ? "chat" : "search", i == 1 ? "alice" : "bob", i <= 2 ? "s-a" : "s-b", tags,
                            i == 5 ? "staging" : "production", i), "2025-03-01T00:00:00Z"));
            // f1..f5: a generation lasting i seconds; f3 with a cost the client gave
            String cost = i == 3 ? "\"cost_details\":{\"input\":0.5,\"output\":0.25}," : "";
            events.add(observation(p, id, id + "-g", ("\"type\":\"GENERATION\",\"model\":\"%s\",\"start_time\":\"%s\","
                    + "\"end_time\":\"2025-03-0%dT00:00:0%dZ\",\"usage_details\":{\"input\":1000000,\"output\":0},%s")
                    .formatted(i == 4 ? "gpt-4o-mini" : "gpt-4o", time, i, i, cost), "2025-03-01T00:00:00Z"));
        }
        events.add(score(p, "f2", "sc-f2", "\"name\":\"quality\",\"value\":0.9,\"data_type\":\"NUMERIC\",\"source\":\"EVAL\","
                + "\"timestamp\":\"2025-03-02T00:00:00Z\""));
        events.add(event(ScoreUpserted.TYPE, p + "/session:s-a", "{\"project\":\"%s\",\"id\":\"sc-sess\",\"session_id\":\"s-a\",\"name\":\"csat\",\"value\":4,\"data_type\":\"NUMERIC\"}"
                .formatted(p)));
        publish(events);
        await().atMost(WAIT).untilAsserted(() -> v1("/api/v1/llm/traces?project=" + p).statusCode(200).body("items", hasSize(5))
                .body("items.find { it.id == 'f5' }.observation_count", equalTo(1)));

        // newest first, by cursor
        String cursor = v1("/api/v1/llm/traces?project=" + p + "&limit=2").body("items.id", contains("f5", "f4"))
                .body("next_cursor", notNullValue()).extract().path("next_cursor");
        String cursor2 = v1("/api/v1/llm/traces?project=" + p + "&limit=2&cursor=" + cursor).body("items.id", contains("f3", "f2"))
                .extract().path("next_cursor");
        v1("/api/v1/llm/traces?project=" + p + "&limit=2&cursor=" + cursor2).body("items.id", contains("f1"))
                .body("next_cursor", nullValue());

        v1("/api/v1/llm/traces?project=" + p + "&name=chat").body("items.id", contains("f3", "f2", "f1"));
        v1("/api/v1/llm/traces?project=" + p + "&user_id=alice").body("items.id", contains("f1"));
        v1("/api/v1/llm/traces?project=" + p + "&tags=a&tags=b").body("items.id", contains("f4", "f2"));
        v1("/api/v1/llm/traces?project=" + p + "&environment=staging").body("items.id", contains("f5"));
        v1("/api/v1/llm/traces?project=" + p + "&release=r2").body("items.id", contains("f2"));
        v1("/api/v1/llm/traces?project=" + p + "&model=gpt-4o-mini").body("items.id", contains("f4"));
        v1("/api/v1/llm/traces?project=" + p + "&from=2025-03-02T00:00:00Z&to=2025-03-04T00:00:00Z").body("items.id", contains("f3", "f2"));
        v1("/api/v1/llm/traces?project=" + p + "&min_latency_ms=3500&max_latency_ms=4500").body("items.id", contains("f4"));
        // 1M input tokens: $2.5 for gpt-4o, $0.15 for gpt-4o-mini; f3's own cost is $0.75
        v1("/api/v1/llm/traces?project=" + p + "&max_cost=1").body("items.id", containsInAnyOrder("f3", "f4"));
        v1("/api/v1/llm/traces?project=" + p + "&min_cost=2").body("items.id", containsInAnyOrder("f5", "f2", "f1"));
        v1("/api/v1/llm/observations?project=" + p + "&trace_id=f3").body("items", hasSize(1))
                .body("items[0].cost_source", equalTo("given")).body("items[0].total_cost", equalTo(0.75f))
                .body("items[0].cost_details.input", equalTo(0.5f)).body("items[0].calculated_cost_details", nullValue());
        v1("/api/v1/llm/observations?project=" + p + "&model=gpt-4o-mini").body("items[0].total_cost", equalTo(0.15f))
                .body("items[0].cost_source", equalTo("calculated"));
        v1("/api/v1/llm/sessions?project=" + p).body("items.id", contains("s-b", "s-a"))
                .body("items.find { it.id == 's-a' }.trace_count", equalTo(2));
        v1("/api/v1/llm/sessions/s-a?project=" + p).statusCode(200).body("traces.id", contains("f1", "f2"))
                .body("scores.id", contains("sc-sess"));
        v1("/api/v1/llm/scores?project=" + p + "&source=EVAL").body("items.id", contains("sc-f2"));
        v1("/api/v1/llm/scores?project=" + p + "&session_id=s-a").body("items.id", contains("sc-sess"));

        String auth = langfuse(p);
        given().header("Authorization", auth).when().get("/api/public/traces?page=1&limit=2").then().statusCode(200)
                .body("data.id", contains("f5", "f4")).body("meta.totalItems", equalTo(5)).body("meta.totalPages", equalTo(3));
        given().header("Authorization", auth).when().get("/api/public/traces?page=3&limit=2").then().statusCode(200)
                .body("data.id", contains("f1"));
        given().header("Authorization", auth).when().get("/api/public/traces?orderBy=timestamp.asc&limit=2").then().statusCode(200)
                .body("data.id", contains("f1", "f2"));
        given().header("Authorization", auth).when().get("/api/public/traces?tags=a&tags=b&userId=bob").then().statusCode(200)
                .body("data.id", contains("f4", "f2"));
        given().header("Authorization", auth).when().get("/api/public/traces?sessionId=s-a&name=chat&environment=production").then()
                .statusCode(200).body("data.id", contains("f2", "f1"));
        given().header("Authorization", auth).when().get("/api/public/observations?type=GENERATION&limit=100").then().statusCode(200)
                .body("data", hasSize(5)).body("meta.totalItems", equalTo(5));
        given().header("Authorization", auth).when().get("/api/public/observations?traceId=f3").then().statusCode(200)
                .body("data[0].costDetails.input", equalTo(0.5f)).body("data[0].calculatedTotalCost", equalTo(0.75f));
        given().header("Authorization", auth).when().get("/api/public/sessions").then().statusCode(200)
                .body("data.id", contains("s-b", "s-a")).body("meta.totalItems", equalTo(2));
        given().header("Authorization", auth).when().get("/api/public/v2/scores?name=quality").then().statusCode(200)
                .body("data.id", contains("sc-f2")).body("data[0].value", equalTo(0.9f)).body("data[0].source", equalTo("EVAL"));
    }

    @Test
    void projectsAreIsolated() {
        String a = project();
        String b = project();
        String onlyB = "only-" + b; // unique: the test topic is shared by every run, and a run reads it from the start
        publish(List.of(trace(a, "shared", "\"name\":\"of-a\",", "2025-04-01T00:00:00Z"),
                trace(b, "shared", "\"name\":\"of-b\",", "2025-04-01T00:00:00Z"),
                trace(b, onlyB, "\"name\":\"b\",", "2025-04-01T00:00:00Z")));
        await().atMost(WAIT).untilAsserted(() -> v1("/api/v1/llm/traces?project=" + b).statusCode(200).body("items", hasSize(2)));
        await().atMost(WAIT).untilAsserted(() -> v1("/api/v1/llm/traces?project=" + a).statusCode(200).body("items", hasSize(1)));

        given().header("Authorization", langfuse(a)).when().get("/api/public/traces/shared").then().statusCode(200)
                .body("name", equalTo("of-a"));
        given().header("Authorization", langfuse(a)).when().get("/api/public/traces/" + onlyB).then().statusCode(404)
                .body("error", equalTo("LangfuseNotFoundError")).body("message", notNullValue());
        given().header("Authorization", langfuse(a)).when().get("/api/public/traces").then().statusCode(200)
                .body("data.id", contains("shared")).body("meta.totalItems", equalTo(1));
        // a key pair's caller on Flywheel's API: its own project only
        given().header("Authorization", langfuse(a)).when().get("/api/v1/llm/traces").then().statusCode(200)
                .body("items.name", contains("of-a"));
        given().header("Authorization", langfuse(a)).when().get("/api/v1/llm/traces?project=" + b).then().statusCode(403)
                .contentType("application/problem+json").body("type", equalTo("urn:flywheel:problem:forbidden"));
        // Flywheel's callers can't use Langfuse's routes
        given().when().get("/api/public/traces").then().statusCode(403)
                .body("message", containsString("Langfuse key pairs")).body("error", equalTo("AccessDeniedError"));
        // an id in two projects needs ?project=
        v1("/api/v1/llm/traces/shared").statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("more than one project"));
        v1("/api/v1/llm/traces/" + onlyB).statusCode(200).body("project", equalTo(b));
        v1("/api/v1/llm/traces/nowhere?project=" + a).statusCode(404).contentType("application/problem+json");
    }

    @Test
    void badRecordsAreDeadLetteredAndTheNextOnesStored() {
        String p = project();
        List<Sent> events = List.of(
                event(TraceUpserted.TYPE, p + "/bad-json", "{this is not json"),
                event("io.flywheel.unknown.v1", p + "/bad-type", "{}"),
                event(TraceUpserted.TYPE, p + "/bad-contract", "{\"project\":\"" + p + "\"}"),
                // a time PostgreSQL cannot hold (after 294276 AD): the batch is stored record by record around it
                trace(p, "bad-time", "\"timestamp\":\"+300000-01-01T00:00:00Z\",", "2025-05-01T00:00:00Z"),
                // a NUL, which PostgreSQL stores in neither text nor jsonb: kept, as U+FFFD
                trace(p, "nul", "\"input\":\"a\\u0000b\",", "2025-05-01T00:00:00Z"),
                trace(p, "good", "\"name\":\"after the bad ones\",", "2025-05-01T00:00:00Z"));
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> deadLetters = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST)
                     .fromTopics(deadLetterTopic)) {
            publish(events);
            await().atMost(WAIT).untilAsserted(() -> v1("/api/v1/llm/traces/good?project=" + p).statusCode(200)
                    .body("name", equalTo("after the bad ones")));
            await().atMost(WAIT).until(() -> ofProject(deadLetters, p).size() == 4);
            List<String> reasons = ofProject(deadLetters, p).stream().map(r -> header(r, "dead-letter-reason")).toList();
            assertThat(reasons).anyMatch(r -> r.contains("payload is not a TraceUpserted"))
                    .anyMatch(r -> r.contains("unexpected event type io.flywheel.unknown.v1"))
                    .anyMatch(r -> r.contains("invalid TraceUpserted: id is required"))
                    .anyMatch(r -> r.contains("could not be stored"));
            assertThat(ofProject(deadLetters, p)).allMatch(r -> header(r, "ce_id") != null && topic.equals(header(r, "dead-letter-topic")));
        }
        v1("/api/v1/llm/traces/bad-time?project=" + p).statusCode(404);
        v1("/api/v1/llm/traces/nul?project=" + p).statusCode(200).body("input", equalTo("a\ufffdb"));
    }

    @Test
    void badQueryValuesAre400sInEachApisShape() {
        v1("/api/v1/llm/traces?from=yesterday").statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:invalid-request")).body("detail", containsString("from"));
        v1("/api/v1/llm/traces?limit=0").statusCode(400).contentType("application/problem+json");
        given().queryParam("to", "+999999999-12-31T23:59:59Z").when().get("/api/v1/llm/traces").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("years 1 and 9999"));
        v1("/api/v1/llm/traces?min_cost=cheap").statusCode(400).contentType("application/problem+json");
        v1("/api/v1/llm/observations?cursor=garbage").statusCode(400).contentType("application/problem+json");
        v1("/api/v1/llm/scores?from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z").statusCode(400);
        String auth = langfuse(project());
        given().header("Authorization", auth).when().get("/api/public/traces?page=0").then().statusCode(400)
                .contentType("application/json").body("message", containsString("page")).body("error", equalTo("InvalidRequestError"));
        given().header("Authorization", auth).when().get("/api/public/traces?limit=101").then().statusCode(400)
                .body("message", containsString("limit"));
        given().header("Authorization", auth).when().get("/api/public/traces?orderBy=secret.desc").then().statusCode(400)
                .body("message", containsString("orderBy"));
        given().header("Authorization", auth).when().get("/api/public/observations?fromStartTime=soon").then().statusCode(400)
                .body("message", containsString("fromStartTime"));
        given().header("Authorization", auth).when().get("/api/public/v2/scores?filter=[]").then().statusCode(400);
        given().header("Authorization", auth).when().get("/api/public/traces/missing").then().statusCode(404)
                .body("message", containsString("not found"));
    }

    private static List<ConsumerRecord<String, String>> ofProject(ConsumerTask<String, String> task, String project) {
        return task.stream().filter(r -> r.key() != null && r.key().startsWith(project + "/")).toList();
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
