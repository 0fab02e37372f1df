package io.flywheel.llm.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.events.ObservationUpserted;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Spans from instrumentations other than Langfuse's: OpenTelemetry gen_ai conventions and OpenInference. */
class SpanMappingTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final Instant RECEIVED = Instant.parse("2026-12-06T19:00:00Z");

    private static Span span(Map<String, Object> attributes, List<Span.SpanEvent> events) {
        return new Span("spans[0]", TRACE, "00f067aa0ba902b7", "a1b2c3d4e5f60718", "op", 1_780_768_800_000_000_000L,
                1_780_768_801_000_000_000L, attributes, 0, "", events, Map.of("service.name", "agent"), "some.instrumentation", "1.0");
    }

    private static ObservationUpserted map(Map<String, Object> attributes) {
        return SpanMapping.map("demo", span(attributes, List.of()), RECEIVED).observation();
    }

    private static Map<String, Object> attributes(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    @ParameterizedTest
    @CsvSource({
            "gen_ai.operation.name, chat, GENERATION",
            "gen_ai.operation.name, text_completion, GENERATION",
            "gen_ai.operation.name, generate_content, GENERATION",
            "gen_ai.operation.name, embeddings, EMBEDDING",
            "gen_ai.operation.name, invoke_agent, AGENT",
            "gen_ai.operation.name, execute_tool, TOOL",
            "gen_ai.operation.name, something_else, SPAN",
            "openinference.span.kind, LLM, GENERATION",
            "openinference.span.kind, RETRIEVER, RETRIEVER",
            "openinference.span.kind, CHAIN, CHAIN",
            "gen_ai.tool.name, search, TOOL",
            "gen_ai.request.model, gpt-4o, GENERATION",
            "http.method, GET, SPAN",
            "langfuse.observation.type, guardrail, GUARDRAIL"})
    void observationTypes(String key, String value, String type) {
        assertThat(map(attributes(key, value)).type()).isEqualTo(type);
    }

    @Test
    void langfusesTypeComesBeforeTheOperation() {
        assertThat(map(attributes("gen_ai.operation.name", "chat", "langfuse.observation.type", "event")).type()).isEqualTo("EVENT");
    }

    @Test
    void olderTokenNamesAndFinerKindsAreNormalised() {
        ObservationUpserted older = map(attributes("gen_ai.system", "openai", "gen_ai.request.model", "gpt-3.5-turbo",
                "gen_ai.usage.prompt_tokens", 11L, "gen_ai.usage.completion_tokens", 7L, "gen_ai.usage.total_tokens", 18L));
        assertThat(older.usageDetails()).isEqualTo(Map.of("input", 11L, "output", 7L, "total", 18L));

        ObservationUpserted finer = map(attributes("gen_ai.request.model", "o3", "gen_ai.usage.input_tokens", 100L,
                "gen_ai.usage.output_tokens", 50L, "gen_ai.usage.cache_creation_input_tokens", 10L,
                "gen_ai.usage.reasoning_tokens", 30L));
        assertThat(finer.usageDetails()).isEqualTo(
                Map.of("input", 90L, "input_cache_creation", 10L, "output", 20L, "output_reasoning_tokens", 30L));

        ObservationUpserted openInference = map(attributes("openinference.span.kind", "LLM", "llm.model_name", "mistral",
                "llm.token_count.prompt", 5L, "llm.token_count.completion", 6L, "llm.token_count.total", 11L,
                "llm.cost.total", 0.5, "input.value", "{\"q\":1}", "output.value", "plain text"));
        assertThat(openInference.usageDetails()).isEqualTo(Map.of("input", 5L, "output", 6L, "total", 11L));
        assertThat(openInference.costDetails()).isEqualTo(Map.of("total", 0.5));
        assertThat(openInference.model()).isEqualTo("mistral");
        assertThat(openInference.input()).isEqualTo(Map.of("q", 1));
        assertThat(openInference.output()).isEqualTo("plain text");
    }

    @Test
    void genAiMessagesWithSystemInstructionsAndToolCalls() {
        ObservationUpserted chat = map(attributes("gen_ai.operation.name", "chat", "gen_ai.request.model", "gpt-4o",
                "gen_ai.system_instructions", "[{\"type\":\"text\",\"content\":\"be brief\"}]",
                "gen_ai.input.messages", "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"hi\"}]}]",
                "gen_ai.output.messages", "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"hello\"}]}]",
                "gen_ai.request.top_p", 0.9, "gen_ai.request.stop_sequences", List.of("END")));
        assertThat(chat.input()).asList().hasSize(2).first()
                .isEqualTo(Map.of("role", "system", "parts", List.of(Map.of("type", "text", "content", "be brief"))));
        assertThat(chat.output()).asList().singleElement().extracting("role").isEqualTo("assistant");
        assertThat(chat.modelParameters()).isEqualTo(Map.of("top_p", 0.9, "stop_sequences", List.of("END")));
        @SuppressWarnings("unchecked")
        Map<String, Object> others = (Map<String, Object>) chat.metadata().get("attributes");
        assertThat(others).containsKey("gen_ai.input.messages");
        assertThat(chat.metadata()).containsEntry("resourceAttributes", Map.of("service.name", "agent"));

        ObservationUpserted tool = map(attributes("gen_ai.operation.name", "execute_tool", "gen_ai.tool.name", "search",
                "gen_ai.tool.call.arguments", "{\"q\":\"drift\"}", "gen_ai.tool.call.result", "3 hits"));
        assertThat(tool.type()).isEqualTo("TOOL");
        assertThat(tool.input()).isEqualTo(Map.of("q", "drift"));
        assertThat(tool.output()).isEqualTo("3 hits");
    }

    @Test
    void genAiEventsAreTheSpansInputAndOutputNotObservations() {
        List<Span.SpanEvent> events = List.of(
                new Span.SpanEvent("gen_ai.system.message", 1L, attributes("gen_ai.system", "openai", "content", "be brief")),
                new Span.SpanEvent("gen_ai.user.message", 2L, attributes("content", "hi")),
                new Span.SpanEvent("gen_ai.choice", 3L, attributes("index", 0L, "message", "{\"content\":\"hello\"}")),
                new Span.SpanEvent("exception", 4L, attributes("exception.message", "boom")));
        SpanMapping.Result result = SpanMapping.map("demo", span(attributes("gen_ai.request.model", "gpt-4o"), events), RECEIVED);

        assertThat(result.observation().input()).isEqualTo(List.of(
                Map.of("role", "system", "content", "be brief"), Map.of("role", "user", "content", "hi")));
        assertThat(result.observation().output()).isEqualTo(List.of(Map.of("index", 0L, "message", Map.of("content", "hello"))));
    }

    @Test
    void aSpanWithoutAStartTimeIsRejected() {
        Span noStart = new Span("spans[0]", TRACE, "00f067aa0ba902b7", null, "op", 0, 0, Map.of(), 0, null, List.of(), Map.of(), null, null);
        assertThatThrownBy(() -> SpanMapping.map("demo", noStart, RECEIVED)).isInstanceOf(Span.BadSpan.class)
                .hasMessageContaining("startTimeUnixNano is required");
    }

    @Test
    void asRootMakesAChildSpanTheTrace() {
        SpanMapping.TracePart part = SpanMapping.map("demo", span(attributes("langfuse.internal.as_root", true), List.of()), RECEIVED).trace();
        assertThat(part.root()).isTrue();
        assertThat(part.name()).isEqualTo("op");
        assertThat(part.version()).isNull();
    }
}
