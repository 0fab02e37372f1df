package io.flywheel.llm.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.flywheel.events.ObservationUpserted;
import io.flywheel.events.TraceUpserted;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real OpenTelemetry Java SDK and its OTLP/HTTP exporter (protobuf, gzip, the JDK sender)
 * against a server on a loopback port that keeps the bytes; what it kept goes through
 * {@link OtlpTraces#read}. The spans carry what Langfuse's Python SDK sets (scope {@code langfuse-sdk},
 * {@code langfuse.*} attributes, protobuf as its exporter sends) and what an OpenAI instrumentation
 * sets ({@code gen_ai.*}). The same spans are also encoded by the SDK's own OTLP/JSON encoder.
 */
class JavaSdkExportTest {
    private static final Instant RECEIVED = Instant.parse("2026-12-06T19:00:00Z");

    private HttpServer server;
    private final List<byte[]> bodies = Collections.synchronizedList(new ArrayList<>());
    private final List<String> contentTypes = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/public/otel/v1/traces", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                    body = new GZIPInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes();
                }
                bodies.add(body);
                contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void protobufFromTheJavaExporterMapsToATraceAndItsObservations() {
        Exported exported = exportConversation();

        assertThat(contentTypes).isNotEmpty().allSatisfy(type -> assertThat(type).isEqualTo("application/x-protobuf"));
        List<OtlpResult> results = bodies.stream().map(body -> OtlpTraces.read("demo", body, false, RECEIVED)).toList();
        assertThat(results).allSatisfy(result -> assertThat(result.rejectedSpans()).isZero());
        List<ObservationUpserted> observations = results.stream().flatMap(r -> r.mapped().observations().stream()).toList();
        List<TraceUpserted> traces = results.stream().flatMap(r -> r.mapped().traces().stream()).toList();

        assertThat(observations).hasSize(3);
        assertConversation(exported, observations, traces);
    }

    @Test
    void theSdksOwnOtlpJsonEncodingMapsAsTheProtobufDoes() throws IOException {
        Exported exported = exportConversation();
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        TraceRequestMarshaler.create(exported.spans()).writeJsonTo(json);
        String text = json.toString(java.nio.charset.StandardCharsets.UTF_8);
        // OTLP/JSON as the spec has it: hex ids, 64-bit numbers as strings
        assertThat(text).contains("\"traceId\":\"" + exported.traceId() + "\"").containsPattern("\"startTimeUnixNano\":\"\\d+\"");

        OtlpResult fromJson = OtlpTraces.read("demo", json.toByteArray(), true, RECEIVED);

        assertThat(fromJson.rejectedSpans()).isZero();
        assertConversation(exported, fromJson.mapped().observations(), fromJson.mapped().traces());
        List<ObservationUpserted> fromProtobuf = bodies.stream()
                .flatMap(body -> OtlpTraces.read("demo", body, false, RECEIVED).mapped().observations().stream()).toList();
        assertThat(fromJson.mapped().observations()).containsExactlyInAnyOrderElementsOf(fromProtobuf);
    }

    private static void assertConversation(Exported exported, List<ObservationUpserted> observations, List<TraceUpserted> traces) {
        ObservationUpserted root = byName(observations, "handle-question");
        ObservationUpserted generation = byName(observations, "llm-call");
        ObservationUpserted openAi = byName(observations, "chat gpt-4o-mini");

        assertThat(root.id()).isEqualTo(exported.rootSpanId());
        assertThat(root.traceId()).isEqualTo(exported.traceId());
        assertThat(root.parentObservationId()).isNull();
        assertThat(root.type()).isEqualTo("SPAN");
        assertThat(root.input()).isEqualTo(Map.of("question", "What is drift?"));
        assertThat(root.environment()).isEqualTo("staging");
        assertThat(root.version()).isEqualTo("1.4.2");
        assertThat(root.level()).isEqualTo("DEFAULT");
        assertThat(root.startTime()).isEqualTo(Instant.parse("2026-12-06T18:00:00Z"));
        assertThat(root.endTime()).isEqualTo(Instant.parse("2026-12-06T18:00:03.5Z"));
        assertThat(root.metadata()).containsEntry("scope", Map.of("name", "langfuse-sdk", "version", "4.14.3"));

        assertThat(generation.type()).isEqualTo("GENERATION");
        assertThat(generation.parentObservationId()).isEqualTo(exported.rootSpanId());
        assertThat(generation.model()).isEqualTo("gpt-4o");
        assertThat(generation.modelParameters()).containsEntry("temperature", 0.2).containsEntry("max_tokens", 256);
        assertThat(generation.usageDetails()).containsExactlyInAnyOrderEntriesOf(
                Map.of("input", 12L, "output", 8L, "total", 20L, "cache_read_input_tokens", 2L));
        assertThat(generation.costDetails()).containsEntry("total", 0.0021);
        assertThat(generation.completionStartTime()).isEqualTo(Instant.parse("2026-12-06T18:00:01.250Z"));
        assertThat(generation.promptName()).isEqualTo("qa-prompt");
        assertThat(generation.promptVersion()).isEqualTo(3);
        assertThat(generation.input()).isEqualTo(List.of(Map.of("role", "user", "content", "What is drift?")));
        assertThat(generation.output()).isEqualTo("Drift is a change in the data.");
        assertThat(generation.metadata()).containsEntry("retries", "0").containsEntry("tool", Map.of("name", "search"))
                .doesNotContainKey("attributes");

        assertThat(openAi.type()).isEqualTo("GENERATION");
        assertThat(openAi.model()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(openAi.modelParameters()).containsEntry("temperature", 0.7).containsEntry("max_tokens", 100L);
        assertThat(openAi.usageDetails()).containsExactlyInAnyOrderEntriesOf(Map.of("input", 100L, "output", 30L, "input_cached_tokens", 20L));
        assertThat(openAi.level()).isEqualTo("ERROR");
        assertThat(openAi.statusMessage()).isEqualTo("rate limited");
        assertThat(openAi.input()).isEqualTo(List.of(Map.of("role", "user", "content", "hi")));
        @SuppressWarnings("unchecked")
        Map<String, Object> others = (Map<String, Object>) openAi.metadata().get("attributes");
        assertThat(others).containsEntry("gen_ai.system", "openai");

        assertThat(traces).extracting(TraceUpserted::id).containsOnly(exported.traceId());
        TraceUpserted trace = traces.stream().filter(t -> "qa".equals(t.name())).findFirst().orElseThrow();
        assertThat(trace.userId()).isEqualTo("user-7");
        assertThat(trace.sessionId()).isEqualTo("session-42");
        assertThat(trace.tags()).containsExactly("prod", "rag");
        assertThat(trace.environment()).isEqualTo("staging");
        assertThat(trace.version()).isEqualTo("1.4.2");
        assertThat(trace.timestamp()).isEqualTo(root.startTime());
        assertThat(trace.input()).isEqualTo(Map.of("question", "What is drift?"));
        assertThat(trace.output()).isEqualTo(Map.of("answer", "Drift is a change in the data."));
        assertThat(trace.metadata()).containsEntry("team", "search");
        @SuppressWarnings("unchecked")
        Map<String, Object> resource = (Map<String, Object>) trace.metadata().get("resourceAttributes");
        assertThat(resource).containsEntry("service.name", "chat-app");
    }

    private static ObservationUpserted byName(List<ObservationUpserted> observations, String name) {
        return observations.stream().filter(o -> name.equals(o.name())).findFirst().orElseThrow();
    }

    private record Exported(String traceId, String rootSpanId, List<SpanData> spans) {
    }

    /** A question answered: a root span, a Langfuse generation under it, and an OpenAI-instrumented call that failed. */
    private Exported exportConversation() {
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + server.getAddress().getPort() + "/api/public/otel/v1/traces")
                .setCompression("gzip")
                .addHeader("Authorization", "Basic cGstbGYtdGVzdDpzay1sZi10ZXN0")
                .build();
        Capture capture = new Capture();
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.builder()
                .put("service.name", "chat-app").put("service.version", "1.4.2").put("deployment.environment.name", "Staging").build()));
        SdkTracerProvider provider = SdkTracerProvider.builder().setResource(resource)
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                .addSpanProcessor(SimpleSpanProcessor.create(capture))
                .build();
        try {
            Tracer langfuse = provider.get("langfuse-sdk", "4.14.3");
            Tracer openAi = provider.get("opentelemetry.instrumentation.openai", "0.40.0");

            Span root = langfuse.spanBuilder("handle-question").setStartTimestamp(at("18:00:00"))
                    .setAttribute("langfuse.observation.type", "span")
                    .setAttribute("langfuse.trace.name", "qa")
                    .setAttribute("user.id", "user-7").setAttribute("session.id", "session-42")
                    .setAttribute(AttributeKey.stringArrayKey("langfuse.trace.tags"), List.of("prod", "rag"))
                    .setAttribute("langfuse.trace.metadata.team", "search")
                    .setAttribute("langfuse.observation.input", "{\"question\":\"What is drift?\"}")
                    .setAttribute("langfuse.trace.output", "{\"answer\":\"Drift is a change in the data.\"}")
                    .startSpan();
            Context inRoot = Context.current().with(root);
            Span generation = langfuse.spanBuilder("llm-call").setParent(inRoot).setStartTimestamp(at("18:00:01"))
                    .setAttribute("langfuse.observation.type", "generation")
                    .setAttribute("user.id", "user-7").setAttribute("session.id", "session-42")
                    .setAttribute("langfuse.observation.model.name", "gpt-4o")
                    .setAttribute("langfuse.observation.model.parameters", "{\"temperature\":0.2,\"max_tokens\":256}")
                    .setAttribute("langfuse.observation.usage_details", "{\"input\":12,\"output\":8,\"total\":20,\"cache_read_input_tokens\":2}")
                    .setAttribute("langfuse.observation.cost_details", "{\"total\":0.0021}")
                    .setAttribute("langfuse.observation.completion_start_time", "\"2026-12-06T18:00:01.250Z\"")
                    .setAttribute("langfuse.observation.prompt.name", "qa-prompt")
                    .setAttribute("langfuse.observation.prompt.version", 3L)
                    .setAttribute("langfuse.observation.metadata.retries", "0")
                    .setAttribute("langfuse.observation.metadata.tool", "{\"name\":\"search\"}")
                    .setAttribute("langfuse.observation.input", "[{\"role\":\"user\",\"content\":\"What is drift?\"}]")
                    .setAttribute("langfuse.observation.output", "Drift is a change in the data.")
                    .startSpan();
            generation.end(at("18:00:02"));
            Span call = openAi.spanBuilder("chat gpt-4o-mini").setParent(inRoot).setStartTimestamp(at("18:00:02"))
                    .setAttribute("gen_ai.system", "openai")
                    .setAttribute("gen_ai.operation.name", "chat")
                    .setAttribute("gen_ai.request.model", "gpt-4o-mini")
                    .setAttribute("gen_ai.response.model", "gpt-4o-mini-2024-07-18")
                    .setAttribute("gen_ai.request.temperature", 0.7)
                    .setAttribute("gen_ai.request.max_tokens", 100L)
                    .setAttribute("gen_ai.usage.input_tokens", 120L)
                    .setAttribute("gen_ai.usage.output_tokens", 30L)
                    .setAttribute("gen_ai.usage.cache_read_input_tokens", 20L)
                    .startSpan();
            call.addEvent("gen_ai.content.prompt",
                    Attributes.of(AttributeKey.stringKey("gen_ai.prompt"), "[{\"role\":\"user\",\"content\":\"hi\"}]"), at("18:00:02"));
            call.setStatus(StatusCode.ERROR, "rate limited");
            call.end(at("18:00:03"));
            root.end(at("18:00:03.5"));

            assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
            return new Exported(root.getSpanContext().getTraceId(), root.getSpanContext().getSpanId(), capture.spans);
        } finally {
            provider.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    private static Instant at(String time) {
        return Instant.parse("2026-12-06T" + time + "Z");
    }

    /** Keeps the finished spans as the SDK hands them to exporters. */
    private static final class Capture implements SpanExporter {
        final List<SpanData> spans = Collections.synchronizedList(new ArrayList<>());

        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            spans.addAll(batch);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
