package io.flywheel.llm.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.events.ObservationUpserted;
import io.flywheel.events.TraceUpserted;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * OTLP/JSON shaped as the spec (§3) captured it from Langfuse's JS SDK v5 on
 * {@code @opentelemetry/exporter-trace-otlp-http}: hex ids, string nanos, numeric intValue,
 * arrayValue tags, flags 257, the child exported before its root, trace attributes propagated onto
 * every span. The real JS SDKs run in a separate system test.
 */
class JsExporterJsonTest {
    private static final Instant RECEIVED = Instant.parse("2026-12-06T19:00:00Z");
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String ROOT = "00f067aa0ba902b7";
    private static final String CHILD = "a1b2c3d4e5f60718";

    private static final String PROPAGATED = """
            {"key":"user.id","value":{"stringValue":"user-1"}},
            {"key":"session.id","value":{"stringValue":"session-1"}},
            {"key":"langfuse.trace.name","value":{"stringValue":"support-chat"}},
            {"key":"langfuse.trace.tags","value":{"arrayValue":{"values":[{"stringValue":"beta"},{"stringValue":"eu"}]}}},
            {"key":"langfuse.trace.metadata.tenant","value":{"stringValue":"acme"}},
            {"key":"langfuse.environment","value":{"stringValue":"Langfuse-Production"}}
            """;

    private static String body(String spans) {
        return """
                {"resourceSpans":[{
                  "resource":{"attributes":[
                    {"key":"service.name","value":{"stringValue":"unknown_service:node"}},
                    {"key":"telemetry.sdk.language","value":{"stringValue":"nodejs"}}],"droppedAttributesCount":0},
                  "scopeSpans":[{"scope":{"name":"langfuse-sdk","version":"5.11.1"},"spans":[%s]}]}]}
                """.formatted(spans);
    }

    private static final String CHILD_SPAN = """
            {"traceId":"%s","spanId":"%s","parentSpanId":"%s","name":"answer","kind":1,
             "startTimeUnixNano":"1780768801123456789","endTimeUnixNano":"1780768802000000000",
             "attributes":[%s,
               {"key":"langfuse.observation.type","value":{"stringValue":"generation"}},
               {"key":"langfuse.observation.model.name","value":{"stringValue":"claude-3-5-haiku"}},
               {"key":"langfuse.observation.model.parameters","value":{"stringValue":"{\\"temperature\\":0,\\"stop\\":[\\"END\\"],\\"stream\\":true}"}},
               {"key":"langfuse.observation.usage_details","value":{"stringValue":"{\\"input\\":12,\\"output\\":8,\\"total\\":20}"}},
               {"key":"langfuse.observation.completion_start_time","value":{"stringValue":"\\"2026-06-06T18:00:01.500Z\\""}},
               {"key":"langfuse.observation.prompt.name","value":{"stringValue":"support"}},
               {"key":"langfuse.observation.prompt.version","value":{"intValue":2}},
               {"key":"langfuse.observation.level","value":{"stringValue":"WARNING"}},
               {"key":"langfuse.observation.status_message","value":{"stringValue":"slow"}},
               {"key":"langfuse.observation.metadata.attempt","value":{"intValue":"3"}},
               {"key":"langfuse.observation.metadata.ctx","value":{"kvlistValue":{"values":[{"key":"k","value":{"boolValue":true}}]}}}],
             "droppedAttributesCount":0,"events":[],"droppedEventsCount":0,
             "status":{"code":0},"links":[],"droppedLinksCount":0,"flags":257}
            """.formatted(TRACE, CHILD, ROOT, PROPAGATED);

    private static final String ROOT_SPAN = """
            {"traceId":"%s","spanId":"%s","name":"chat-turn","kind":1,
             "startTimeUnixNano":"1780768800000000000","endTimeUnixNano":"1780768803000000000",
             "attributes":[%s,
               {"key":"langfuse.observation.type","value":{"stringValue":"agent"}},
               {"key":"langfuse.internal.is_app_root","value":{"boolValue":true}},
               {"key":"langfuse.observation.input","value":{"stringValue":"{\\"messages\\":[\\"hi\\"]}"}},
               {"key":"langfuse.observation.output","value":{"stringValue":"hello"}},
               {"key":"langfuse.trace.public","value":{"boolValue":true}}],
             "events":[],"status":{"code":2,"message":"tool failed"},"flags":257}
            """.formatted(TRACE, ROOT, PROPAGATED);

    private static OtlpResult read(String json) {
        return OtlpTraces.read("demo", json.getBytes(StandardCharsets.UTF_8), true, RECEIVED);
    }

    @Test
    void childBeforeRootInOneRequestGivesOneTraceWithTheRootsFields() {
        OtlpResult result = read(body(CHILD_SPAN + "," + ROOT_SPAN));

        assertThat(result.rejectedSpans()).isZero();
        assertThat(result.errors()).isEmpty();
        assertThat(result.mapped().scores()).isEmpty();
        assertThat(result.mapped().traces()).singleElement().satisfies(trace -> {
            assertThat(trace.id()).isEqualTo(TRACE);
            assertThat(trace.name()).isEqualTo("support-chat");
            assertThat(trace.timestamp()).isEqualTo(Instant.ofEpochSecond(1780768800L));
            assertThat(trace.userId()).isEqualTo("user-1");
            assertThat(trace.sessionId()).isEqualTo("session-1");
            assertThat(trace.tags()).containsExactly("beta", "eu");
            assertThat(trace.isPublic()).isTrue();
            assertThat(trace.environment()).isEqualTo("production");
            assertThat(trace.input()).isEqualTo(Map.of("messages", List.of("hi")));
            assertThat(trace.output()).isEqualTo("hello");
            assertThat(trace.metadata()).containsEntry("tenant", "acme");
        });

        ObservationUpserted child = result.mapped().observations().get(0);
        assertThat(child.id()).isEqualTo(CHILD);
        assertThat(child.parentObservationId()).isEqualTo(ROOT);
        assertThat(child.type()).isEqualTo("GENERATION");
        assertThat(child.startTime()).isEqualTo(Instant.ofEpochSecond(1780768801L, 123456789));
        assertThat(child.model()).isEqualTo("claude-3-5-haiku");
        assertThat(child.modelParameters()).containsEntry("temperature", 0).containsEntry("stop", "[\"END\"]").containsEntry("stream", "true");
        assertThat(child.usageDetails()).containsExactlyInAnyOrderEntriesOf(Map.of("input", 12L, "output", 8L, "total", 20L));
        assertThat(child.completionStartTime()).isEqualTo(Instant.parse("2026-06-06T18:00:01.500Z"));
        assertThat(child.promptName()).isEqualTo("support");
        assertThat(child.promptVersion()).isEqualTo(2);
        assertThat(child.level()).isEqualTo("WARNING");
        assertThat(child.statusMessage()).isEqualTo("slow");
        assertThat(child.environment()).isEqualTo("production");
        assertThat(child.metadata()).containsEntry("attempt", 3L).containsEntry("ctx", Map.of("k", true));

        ObservationUpserted root = result.mapped().observations().get(1);
        assertThat(root.type()).isEqualTo("AGENT");
        assertThat(root.parentObservationId()).isNull();
        assertThat(root.level()).isEqualTo("ERROR");
        assertThat(root.statusMessage()).isEqualTo("tool failed");
        assertThat(root.input()).isEqualTo(Map.of("messages", List.of("hi")));
        assertThat(root.promptName()).as("prompt links only on generations").isNull();
    }

    @Test
    void aChildWhoseRootCameEarlierGivesAPartialTrace() {
        OtlpResult result = read(body(CHILD_SPAN));

        TraceUpserted trace = result.mapped().traces().getFirst();
        assertThat(trace.name()).isEqualTo("support-chat");
        assertThat(trace.userId()).isEqualTo("user-1");
        assertThat(trace.timestamp()).isEqualTo(Instant.ofEpochSecond(1780768801L, 123456789));
        assertThat(trace.input()).as("only a root span says the trace's input").isNull();
        assertThat(trace.version()).isNull();
    }

    @Test
    void aSpanWithABadIdIsRejectedAndTheOthersKept() {
        String badTrace = ROOT_SPAN.replace("\"traceId\":\"" + TRACE + "\"", "\"traceId\":\"S/kvNXezTaajzpKdDg5HNg==\"");
        String zeroSpan = CHILD_SPAN.replace("\"spanId\":\"" + CHILD + "\"", "\"spanId\":\"0000000000000000\"");
        OtlpResult result = read(body(CHILD_SPAN + "," + badTrace + "," + zeroSpan));

        assertThat(result.rejectedSpans()).isEqualTo(2);
        assertThat(result.errors()).containsExactly(
                "resourceSpans[0].scopeSpans[0].spans[1]: traceId must be 32 hex characters (16 bytes, not all zero), was \"s/kvnxeztaajzpkddg5hng==\"",
                "resourceSpans[0].scopeSpans[0].spans[2]: spanId must be 16 hex characters (8 bytes, not all zero), was \"0000000000000000\"");
        assertThat(result.mapped().observations()).extracting(ObservationUpserted::id).containsExactly(CHILD);
        assertThat(result.errorMessage()).startsWith("resourceSpans[0].scopeSpans[0].spans[1]: traceId");
    }

    @Test
    void aSpanWithUnreadableAttributesIsRejected() {
        String broken = CHILD_SPAN.replaceFirst("\"attributes\":\\[", "\"attributes\":{\"oops\":1},\"x\":[");
        OtlpResult result = read(body(broken + "," + ROOT_SPAN));

        assertThat(result.rejectedSpans()).isOne();
        assertThat(result.errors().getFirst()).contains("spans[0]").contains("attributes must be an array");
        assertThat(result.mapped().observations()).extracting(ObservationUpserted::id).containsExactly(ROOT);
    }

    @Test
    void stringIntValuesAndStatusNamesAsOtherExportersWriteThem() {
        String span = """
                {"traceId":"%s","spanId":"%s","name":"embed","startTimeUnixNano":1780768800000000000,
                 "attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"embeddings"}},
                   {"key":"gen_ai.request.model","value":{"stringValue":"text-embedding-3-small"}},
                   {"key":"gen_ai.usage.input_tokens","value":{"intValue":"42"}},
                   {"key":"gen_ai.usage.cost","value":{"doubleValue":0.0001}}],
                 "status":{"code":"STATUS_CODE_ERROR"}}
                """.formatted(TRACE, ROOT);
        ObservationUpserted embed = read(body(span)).mapped().observations().getFirst();

        assertThat(embed.type()).isEqualTo("EMBEDDING");
        assertThat(embed.model()).isEqualTo("text-embedding-3-small");
        assertThat(embed.usageDetails()).isEqualTo(Map.of("input", 42L));
        assertThat(embed.costDetails()).isEqualTo(Map.of("total", 0.0001));
        assertThat(embed.level()).isEqualTo("ERROR");
        assertThat(embed.endTime()).isNull();
        assertThat(embed.environment()).as("not sent: read as default").isNull();
    }

    @Test
    void anEmptyRequestMapsToNothing() {
        assertThat(read("{\"resourceSpans\":[]}").mapped().isEmpty()).isTrue();
        assertThat(read("{}").mapped().isEmpty()).isTrue();
        assertThat(OtlpTraces.read("demo", new byte[0], false, RECEIVED).mapped().isEmpty()).isTrue();
    }

    @Test
    void aBodyThatCannotBeReadAtAllSaysWhatToFix() {
        assertThatThrownBy(() -> read("{\"resourceSpans\":")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the body must be OTLP/JSON");
        assertThatThrownBy(() -> read("[1,2]")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> read("{\"resourceSpans\":{}}")).hasMessage("resourceSpans must be an array");
        assertThatThrownBy(() -> read("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":\"x\"}]}]}")).hasMessage("spans must be an array");
        assertThatThrownBy(() -> OtlpTraces.read("demo", "not protobuf at all".getBytes(StandardCharsets.UTF_8), false, RECEIVED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the body must be an OTLP/protobuf ExportTraceServiceRequest");
    }
}
