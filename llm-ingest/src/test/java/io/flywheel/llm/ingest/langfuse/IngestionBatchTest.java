package io.flywheel.llm.ingest.langfuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.events.ObservationUpserted;
import io.flywheel.events.ScoreUpserted;
import io.flywheel.events.TraceUpserted;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Batches shaped as Langfuse's SDKs send them to {@code POST /api/public/ingestion} (spec §2 and §8). */
class IngestionBatchTest {
    private static final Instant RECEIVED = Instant.parse("2026-12-06T19:00:00Z");

    private static IngestionResult read(String json) {
        return IngestionBatch.read("demo", json.getBytes(StandardCharsets.UTF_8), RECEIVED);
    }

    private static String batch(String... events) {
        return """
                {"batch":[%s],
                 "metadata":{"batch_size":%d,"sdk_integration":"DEFAULT","sdk_version":"3.39.2","sdk_variant":"langfuse",
                             "public_key":"pk-lf-test","sdk_name":"langfuse-js"}}
                """.formatted(String.join(",", events), events.length);
    }

    private static String event(String id, String type, String timestamp, String body) {
        return """
                {"id":"%s","type":"%s","timestamp":"%s","body":%s}""".formatted(id, type, timestamp, body);
    }

    /** The order the v3 SDK was captured sending one flush in: scores first, updates before creates. */
    private static final String V3_FLUSH = batch(
            event("e1", "score-create", "2026-12-06T18:00:00.010Z",
                    "{\"id\":\"s1\",\"traceId\":\"t1\",\"name\":\"helpfulness\",\"value\":0.8}"),
            event("e2", "score-create", "2026-12-06T18:00:00.011Z",
                    "{\"id\":\"s2\",\"traceId\":\"t1\",\"observationId\":\"g1\",\"name\":\"tone\",\"value\":\"friendly\",\"comment\":\"ok\"}"),
            event("e3", "score-create", "2026-12-06T18:00:00.012Z",
                    "{\"id\":\"s3\",\"traceId\":\"t1\",\"name\":\"correct\",\"value\":1,\"dataType\":\"BOOLEAN\"}"),
            event("e4", "trace-create", "2026-12-06T18:00:00.001Z",
                    "{\"id\":\"t1\",\"timestamp\":\"2026-12-06T18:00:00.001Z\",\"name\":\"qa\",\"userId\":\"u1\",\"sessionId\":\"sess\","
                            + "\"release\":\"r1\",\"version\":\"v1\",\"metadata\":{\"team\":\"search\"},\"tags\":[\"a\"],"
                            + "\"environment\":\"Langfuse-Staging\",\"input\":{\"q\":\"hi\"}}"),
            event("e5", "span-create", "2026-12-06T18:00:00.002Z",
                    "{\"id\":\"sp1\",\"traceId\":\"t1\",\"name\":\"retrieve\",\"startTime\":\"2026-12-06T18:00:00.002Z\",\"input\":\"hi\"}"),
            event("e6", "event-create", "2026-12-06T18:00:00.003Z",
                    "{\"id\":\"ev1\",\"traceId\":\"t1\",\"parentObservationId\":\"sp1\",\"name\":\"cache-miss\","
                            + "\"startTime\":\"2026-12-06T18:00:00.003Z\",\"level\":\"WARNING\"}"),
            event("e7", "generation-update", "2026-12-06T18:00:00.009Z",
                    "{\"id\":\"g1\",\"traceId\":\"t1\",\"endTime\":\"2026-12-06T18:00:00.900Z\",\"output\":{\"role\":\"assistant\",\"content\":\"hello\"},"
                            + "\"completionStartTime\":\"2026-12-06T18:00:00.400Z\","
                            + "\"usage\":{\"input\":10,\"output\":4,\"total\":14,\"unit\":\"TOKENS\",\"inputCost\":0.001,\"outputCost\":0.002,\"totalCost\":0.003}}"),
            event("e8", "trace-create", "2026-12-06T18:00:00.008Z",
                    "{\"id\":\"t1\",\"timestamp\":\"2026-12-06T18:00:00.008Z\",\"output\":{\"a\":\"hello\"}}"),
            event("e9", "span-update", "2026-12-06T18:00:00.007Z",
                    "{\"id\":\"sp1\",\"traceId\":\"t1\",\"endTime\":\"2026-12-06T18:00:00.100Z\",\"output\":[\"doc1\"]}"),
            event("e10", "generation-create", "2026-12-06T18:00:00.013Z",
                    "{\"id\":\"g1\",\"traceId\":\"t1\",\"parentObservationId\":\"sp1\",\"name\":\"llm\",\"startTime\":\"2026-12-06T18:00:00.200Z\","
                            + "\"model\":\"gpt-4o\",\"modelParameters\":{\"temperature\":0.1,\"stop\":[\"x\"]},\"input\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                            + "\"promptName\":\"qa\",\"promptVersion\":3}"));

    @Test
    void aV3FlushIsAcceptedWholeAndKeyedByEnvelopeIds() {
        IngestionResult result = read(V3_FLUSH);

        assertThat(result.errors()).isEmpty();
        assertThat(result.successes()).extracting(IngestionResult.Success::id)
                .containsExactlyInAnyOrder("e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9", "e10");
        assertThat(result.successes()).extracting(IngestionResult.Success::status).containsOnly(201);
        assertThat(result.mapped().traces()).hasSize(2);
        assertThat(result.mapped().observations()).hasSize(5);
        assertThat(result.mapped().scores()).hasSize(3);
    }

    @Test
    void recordsComeInLangfusesOrderSoTheLaterReceivedAtIsTheLaterEvent() {
        IngestionResult result = read(V3_FLUSH);

        // creates before updates, each by envelope timestamp: the generation's create wins nothing over its update
        List<ObservationUpserted> generation = result.mapped().observations().stream().filter(o -> o.id().equals("g1")).toList();
        assertThat(generation).extracting(ObservationUpserted::model).containsExactly("gpt-4o", null);
        assertThat(generation.get(0).receivedAt()).isBefore(generation.get(1).receivedAt());
        // the partial trace-create (v3 trace.update()) comes after the first
        List<TraceUpserted> traces = result.mapped().traces();
        assertThat(traces).extracting(TraceUpserted::name).containsExactly("qa", null);
        assertThat(traces.get(0).receivedAt()).isBefore(traces.get(1).receivedAt());
        assertThat(traces.get(1).output()).isEqualTo(Map.of("a", "hello"));
        assertThat(traces.get(1).userId()).as("not sent, so not changed").isNull();
        assertThat(result.mapped().observations()).extracting(ObservationUpserted::receivedAt)
                .allSatisfy(at -> assertThat(at).isBetween(RECEIVED, RECEIVED.plusMillis(1)));
    }

    @Test
    void fieldsAreMappedAndNormalised() {
        IngestionResult result = read(V3_FLUSH);

        TraceUpserted trace = result.mapped().traces().getFirst();
        assertThat(trace.project()).isEqualTo("demo");
        assertThat(trace.timestamp()).isEqualTo(Instant.parse("2026-12-06T18:00:00.001Z"));
        assertThat(trace.userId()).isEqualTo("u1");
        assertThat(trace.sessionId()).isEqualTo("sess");
        assertThat(trace.release()).isEqualTo("r1");
        assertThat(trace.version()).isEqualTo("v1");
        assertThat(trace.tags()).containsExactly("a");
        assertThat(trace.metadata()).isEqualTo(Map.of("team", "search"));
        assertThat(trace.environment()).isEqualTo("staging");
        assertThat(trace.input()).isEqualTo(Map.of("q", "hi"));

        Map<String, ObservationUpserted> creates = new java.util.HashMap<>();
        result.mapped().observations().stream().filter(o -> o.type() != null && o.startTime() != null).forEach(o -> creates.put(o.id(), o));
        assertThat(creates.get("sp1").type()).isEqualTo("SPAN");
        assertThat(creates.get("ev1").type()).isEqualTo("EVENT");
        assertThat(creates.get("ev1").level()).isEqualTo("WARNING");
        assertThat(creates.get("ev1").parentObservationId()).isEqualTo("sp1");
        ObservationUpserted generation = creates.get("g1");
        assertThat(generation.type()).isEqualTo("GENERATION");
        assertThat(generation.modelParameters()).isEqualTo(Map.of("temperature", 0.1, "stop", List.of("x")));
        assertThat(generation.promptName()).isEqualTo("qa");
        assertThat(generation.promptVersion()).isEqualTo(3);
        assertThat(generation.environment()).as("not sent: read as default, never written over one sent").isNull();

        ObservationUpserted update = result.mapped().observations().stream()
                .filter(o -> o.id().equals("g1") && o.model() == null).findFirst().orElseThrow();
        assertThat(update.type()).isEqualTo("GENERATION");
        assertThat(update.startTime()).as("an update does not move the start").isNull();
        assertThat(update.endTime()).isEqualTo(Instant.parse("2026-12-06T18:00:00.900Z"));
        assertThat(update.completionStartTime()).isEqualTo(Instant.parse("2026-12-06T18:00:00.400Z"));
        assertThat(update.usageDetails()).isEqualTo(Map.of("input", 10L, "output", 4L, "total", 14L));
        assertThat(update.costDetails()).isEqualTo(Map.of("input", 0.001, "output", 0.002, "total", 0.003));

        List<ScoreUpserted> scores = result.mapped().scores();
        assertThat(scores).extracting(ScoreUpserted::dataType).containsExactly("NUMERIC", "CATEGORICAL", "BOOLEAN");
        assertThat(scores.get(0).value()).isEqualTo(0.8);
        assertThat(scores.get(1).stringValue()).isEqualTo("friendly");
        assertThat(scores.get(1).value()).isNull();
        assertThat(scores.get(1).observationId()).isEqualTo("g1");
        assertThat(scores.get(2).value()).isEqualTo(1.0);
        assertThat(scores.get(2).stringValue()).isEqualTo("True");
        assertThat(scores).extracting(ScoreUpserted::source).containsOnly("API");
        assertThat(scores.get(0).timestamp()).as("the envelope's time").isEqualTo(Instant.parse("2026-12-06T18:00:00.010Z"));
    }

    @Test
    void v5ScoresComeWithoutMetadataOrEnvironment() {
        IngestionResult result = read("""
                {"batch":[
                 {"id":"a","type":"score-create","timestamp":"2026-12-06T18:00:00.000Z",
                  "body":{"name":"correct","value":0,"dataType":"BOOLEAN","traceId":"4bf92f3577b34da6a3ce929d0e0e4736",
                          "observationId":"00f067aa0ba902b7","id":"6f1c1f7e-0a7d-4c43-9a7e-2d7b5d1a9c11"}},
                 {"id":"b","type":"score-create","timestamp":"2026-12-06T18:00:00.000Z",
                  "body":{"sessionId":"session-1","name":"session-score","value":3,"id":"b-score"}},
                 {"id":"c","type":"score-create","timestamp":"2026-12-06T18:00:00.000Z",
                  "body":{"datasetRunId":"run-1","name":"accuracy","value":1,"id":"c-score","source":"EVAL"}}]}
                """);

        assertThat(result.errors()).isEmpty();
        List<ScoreUpserted> scores = result.mapped().scores();
        assertThat(scores.get(0).stringValue()).isEqualTo("False");
        assertThat(scores.get(0).id()).isEqualTo("6f1c1f7e-0a7d-4c43-9a7e-2d7b5d1a9c11");
        assertThat(scores.get(1).sessionId()).isEqualTo("session-1");
        assertThat(scores.get(1).key()).isEqualTo("demo/session:session-1");
        assertThat(scores.get(2).datasetRunId()).isEqualTo("run-1");
        assertThat(scores.get(2).source()).isEqualTo("EVAL");
        assertThat(scores).extracting(ScoreUpserted::environment).containsOnlyNulls();
    }

    @Test
    void everyEventTypeIsAcceptedOrRefusedAsLangfuseDoes() {
        String at = "2026-12-06T18:00:00Z";
        String body = "{\"id\":\"%s\",\"traceId\":\"t\",\"model\":\"m\",\"usageDetails\":{\"input\":1}}";
        List<String> kinds = List.of("agent", "tool", "chain", "retriever", "evaluator", "embedding", "guardrail");
        List<String> events = new java.util.ArrayList<>();
        kinds.forEach(kind -> events.add(event(kind, kind + "-create", at, body.formatted(kind))));
        events.add(event("span-with-model", "span-create", at, body.formatted("span-with-model")));
        events.add(event("legacy", "observation-create", at, "{\"id\":\"legacy\",\"type\":\"GENERATION\",\"model\":\"m\"}"));
        events.add(event("legacy-update", "observation-update", at, "{\"id\":\"legacy\",\"output\":\"done\"}"));
        events.add(event("log", "sdk-log", at, "{\"log\":{\"message\":\"flushing\"}}"));
        events.add(event("run-item", "dataset-run-item-create", at, "{\"id\":\"x\"}"));
        events.add(event("unknown", "widget-create", at, "{\"id\":\"x\"}"));

        IngestionResult result = read(batch(events.toArray(String[]::new)));

        assertThat(result.successes()).extracting(IngestionResult.Success::id).containsExactlyInAnyOrder(
                "agent", "tool", "chain", "retriever", "evaluator", "embedding", "guardrail", "span-with-model", "legacy",
                "legacy-update", "log");
        assertThat(result.errors()).extracting(IngestionResult.Failure::id, IngestionResult.Failure::status)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("run-item", 400), org.assertj.core.groups.Tuple.tuple("unknown", 400));
        assertThat(result.errors()).extracting(IngestionResult.Failure::message).containsOnly("Invalid request data");
        Map<String, ObservationUpserted> byId = new java.util.HashMap<>();
        result.mapped().observations().forEach(o -> byId.putIfAbsent(o.id(), o));
        kinds.forEach(kind -> {
            assertThat(byId.get(kind).type()).isEqualTo(kind.toUpperCase(java.util.Locale.ROOT));
            assertThat(byId.get(kind).model()).as("these have the generation body").isEqualTo("m");
            assertThat(byId.get(kind).usageDetails()).isEqualTo(Map.of("input", 1L));
        });
        assertThat(byId.get("span-with-model").model()).as("a span body has no model").isNull();
        assertThat(byId.get("legacy").type()).isEqualTo("GENERATION");
        assertThat(result.mapped().observations()).filteredOn(o -> "done".equals(o.output())).singleElement()
                .satisfies(o -> assertThat(o.type()).isNull());
        assertThat(result.mapped().size()).isEqualTo(10);
    }

    @Test
    void onlyInvalidEventsAreErrorsAndTheRestIsKept() {
        String at = "2026-12-06T18:00:00Z";
        IngestionResult result = read(batch(
                event("ok", "span-create", at, "{\"id\":\"sp\",\"traceId\":\"t\"}"),
                event("no-id", "span-update", at, "{\"traceId\":\"t\",\"output\":1}"),
                event("bad-time", "span-create", at, "{\"id\":\"sp2\",\"startTime\":\"2026-12-06 18:00\"}"),
                event("bad-level", "event-create", at, "{\"id\":\"e\",\"level\":\"FATAL\"}"),
                event("half-prompt", "generation-create", at, "{\"id\":\"g\",\"promptName\":\"qa\"}"),
                event("two-targets", "score-create", at, "{\"name\":\"n\",\"value\":1,\"traceId\":\"t\",\"sessionId\":\"s\"}"),
                event("no-target", "score-create", at, "{\"name\":\"n\",\"value\":1}"),
                event("bool-2", "score-create", at, "{\"name\":\"n\",\"value\":2,\"dataType\":\"BOOLEAN\",\"traceId\":\"t\"}"),
                event("numeric-text", "score-create", at, "{\"name\":\"n\",\"value\":\"high\",\"dataType\":\"NUMERIC\",\"traceId\":\"t\"}"),
                event("no-name", "score-create", at, "{\"value\":1,\"traceId\":\"t\"}"),
                event("obs-no-trace", "score-create", at, "{\"name\":\"n\",\"value\":1,\"sessionId\":\"s\",\"observationId\":\"o\"}"),
                event("bad-source", "score-create", at, "{\"name\":\"n\",\"value\":1,\"traceId\":\"t\",\"source\":\"HUMAN\"}"),
                event("tags-text", "trace-create", at, "{\"id\":\"t\",\"tags\":\"a,b\"}"),
                event("id-newline", "trace-create", at, "{\"id\":\"a\\nb\"}"),
                event("envelope-time", "trace-create", "yesterday", "{\"id\":\"t\"}"),
                "{\"id\":\"no-body\",\"type\":\"trace-create\",\"timestamp\":\"" + at + "\"}",
                "\"not an event\""));

        assertThat(result.successes()).extracting(IngestionResult.Success::id).containsExactly("ok");
        assertThat(result.mapped().observations()).extracting(ObservationUpserted::id).containsExactly("sp");
        Map<String, String> errors = new java.util.HashMap<>();
        result.errors().forEach(e -> errors.put(String.valueOf(e.id()), e.error()));
        assertThat(errors).hasSize(16).containsEntry("no-id", "id is required")
                .containsEntry("bad-level", "level must be one of [DEBUG, DEFAULT, ERROR, WARNING], was FATAL")
                .containsEntry("half-prompt", "promptName and promptVersion go together: send both or neither")
                .containsEntry("bool-2", "a BOOLEAN score's value must be 0 or 1, was 2")
                .containsEntry("numeric-text", "a NUMERIC score's value must be a number")
                .containsEntry("no-name", "name is required")
                .containsEntry("obs-no-trace", "observationId needs the traceId of its trace")
                .containsEntry("tags-text", "tags must be an array of strings")
                .containsEntry("no-body", "body must be an object")
                .containsEntry("null", "each event must be an object {id, type, timestamp, body}");
        assertThat(errors.get("bad-time")).startsWith("startTime must be an ISO-8601 time with Z or an offset");
        assertThat(errors.get("envelope-time")).startsWith("timestamp must be an ISO-8601 time");
        assertThat(errors.get("two-targets")).startsWith("a score needs exactly one target");
        assertThat(result.errors()).extracting(IngestionResult.Failure::status).containsOnly(400);
    }

    @Test
    void timestampsWithMicrosecondsAndOffsetsAsPythonSendsThem() {
        IngestionResult result = read(batch(event("p", "span-create", "2026-12-06T18:00:00.123456+00:00",
                "{\"id\":\"sp\",\"startTime\":\"2026-12-06T20:00:00.123456+02:00\",\"endTime\":\"2026-12-06T18:00:01.5Z\"}")));

        ObservationUpserted span = result.mapped().observations().getFirst();
        assertThat(span.startTime()).isEqualTo(Instant.parse("2026-12-06T18:00:00.123456Z"));
        assertThat(span.endTime()).isEqualTo(Instant.parse("2026-12-06T18:00:01.500Z"));
        assertThat(span.traceId()).as("not sent").isNull();
    }

    @Test
    void usageShapesBecomeUsageDetails() {
        String at = "2026-12-06T18:00:00Z";
        IngestionResult result = read(batch(
                event("openai-legacy", "generation-create", at,
                        "{\"id\":\"a\",\"usage\":{\"promptTokens\":7,\"completionTokens\":3,\"totalTokens\":10}}"),
                event("chat-completions", "generation-create", at,
                        "{\"id\":\"b\",\"usageDetails\":{\"prompt_tokens\":100,\"completion_tokens\":50,\"total_tokens\":150,"
                                + "\"prompt_tokens_details\":{\"cached_tokens\":40,\"audio_tokens\":null},"
                                + "\"completion_tokens_details\":{\"reasoning_tokens\":20}},\"costDetails\":{\"input\":0.01,\"total\":\"0.02\",\"bad\":-1}}"),
                event("responses", "generation-create", at,
                        "{\"id\":\"c\",\"usageDetails\":{\"input_tokens\":30,\"output_tokens\":10,\"total_tokens\":40,"
                                + "\"input_tokens_details\":{\"cached_tokens\":5},\"output_tokens_details\":{\"reasoning_tokens\":2}}}"),
                event("plain", "generation-create", at,
                        "{\"id\":\"d\",\"usageDetails\":{\"input\":\"12\",\"output\":8,\"cache_read_input_tokens\":2,\"junk\":\"x\",\"neg\":-3}}"),
                event("both", "generation-create", at,
                        "{\"id\":\"e\",\"usage\":{\"input\":1,\"output\":1},\"usageDetails\":{\"input\":5}}")));

        Map<String, ObservationUpserted> byId = new java.util.HashMap<>();
        result.mapped().observations().forEach(o -> byId.put(o.id(), o));
        assertThat(byId.get("a").usageDetails()).isEqualTo(Map.of("input", 7L, "output", 3L, "total", 10L));
        assertThat(byId.get("b").usageDetails()).isEqualTo(
                Map.of("input", 60L, "output", 30L, "total", 150L, "input_cached_tokens", 40L, "output_reasoning_tokens", 20L));
        assertThat(byId.get("b").costDetails()).isEqualTo(Map.of("input", 0.01, "total", 0.02));
        assertThat(byId.get("c").usageDetails()).isEqualTo(
                Map.of("input", 25L, "output", 8L, "total", 40L, "input_cached_tokens", 5L, "output_reasoning_tokens", 2L));
        assertThat(byId.get("d").usageDetails()).isEqualTo(Map.of("input", 12L, "output", 8L, "cache_read_input_tokens", 2L));
        assertThat(byId.get("e").usageDetails()).as("usageDetails wins over usage").isEqualTo(Map.of("input", 5L));
    }

    @Test
    void withoutABodyIdTheEnvelopeIdNamesTheTraceAndTheScore() {
        IngestionResult result = read(batch(
                event("env-1", "trace-create", "2026-12-06T18:00:00Z", "{\"name\":\"anonymous\"}"),
                event("env-2", "score-create", "2026-12-06T18:00:00Z", "{\"name\":\"n\",\"value\":1,\"traceId\":\"env-1\"}")));

        assertThat(result.mapped().traces().getFirst().id()).isEqualTo("env-1");
        assertThat(result.mapped().traces().getFirst().timestamp()).isEqualTo(Instant.parse("2026-12-06T18:00:00Z"));
        assertThat(result.mapped().scores().getFirst().id()).isEqualTo("env-2");
    }

    @Test
    void aWrongEnvelopeIsRefusedWhole() {
        assertThatThrownBy(() -> read("not json")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be JSON");
        assertThatThrownBy(() -> read("[]")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> read("{\"batch\":{}}")).hasMessage("batch must be an array of events");
        assertThatThrownBy(() -> read("{}")).hasMessage("batch must be an array of events");
        IngestionResult empty = read("{\"batch\":[]}");
        assertThat(empty.successes()).isEmpty();
        assertThat(empty.errors()).isEmpty();
        assertThat(empty.mapped().isEmpty()).isTrue();
    }
}
