package io.flywheel.gateway.llm;

import io.flywheel.events.ObservationUpserted;
import io.flywheel.events.TraceUpserted;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.flywheel.gateway.llm.TraceRecords.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real OpenTelemetry Java SDK and its OTLP/HTTP exporter (protobuf, gzip, the JDK's HTTP client)
 * exporting GenAI spans to the gateway's {@code /v1/traces} with a project's key pair: the flush
 * succeeds, and the spans arrive on flywheel.traces as a trace and its observations.
 */
@QuarkusTest
class OtelSdkExportTest {

    @TestHTTPResource("/v1/traces")
    URL endpoint;

    @Test
    void genAiSpansFromTheSdkArriveOnKafka() {
        LlmTestProjects.Project project = LlmTestProjects.create("otel-sdk");
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(endpoint.toString())
                .addHeader("Authorization", project.basic())
                .setCompression("gzip")
                .setTimeout(Duration.ofSeconds(10))
                .build();
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), "support-bot",
                        AttributeKey.stringKey("deployment.environment.name"), "staging"))))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                .build();
        String traceId;
        String generationId;
        try (TraceRecords records = new TraceRecords()) {
            Tracer tracer = provider.get("support-bot", "1.0.0");
            Span root = tracer.spanBuilder("answer-ticket").setAttribute("user.id", "customer-7").setAttribute("session.id", "ticket-42")
                    .startSpan();
            try (Scope ignored = root.makeCurrent()) {
                Span generation = tracer.spanBuilder("chat gpt-4o")
                        .setAttribute("gen_ai.operation.name", "chat")
                        .setAttribute("gen_ai.system", "openai")
                        .setAttribute("gen_ai.request.model", "gpt-4o")
                        .setAttribute("gen_ai.response.model", "gpt-4o-2024-08-06")
                        .setAttribute("gen_ai.request.temperature", 0.2)
                        .setAttribute("gen_ai.usage.input_tokens", 120L)
                        .setAttribute("gen_ai.usage.output_tokens", 48L)
                        .startSpan();
                generationId = generation.getSpanContext().getSpanId();
                generation.end();
            }
            root.end();
            traceId = root.getSpanContext().getTraceId();

            CompletableResultCode flushed = provider.forceFlush().join(20, TimeUnit.SECONDS);
            assertThat(flushed.isSuccess()).as("the SDK's flush (a non-2xx answer fails it)").isTrue();

            String key = project.id() + "/" + traceId;
            await().atMost(Duration.ofSeconds(30)).until(() -> records.of(project.id(), ObservationUpserted.TYPE).size() == 2
                    && !records.of(project.id(), TraceUpserted.TYPE).isEmpty());
            var observations = records.of(project.id(), ObservationUpserted.TYPE);
            assertThat(observations).allSatisfy(r -> assertThat(r.key()).isEqualTo(key));
            assertThat(observations).anySatisfy(r -> assertThat(r.value())
                    .contains("\"id\":\"" + generationId + "\"")
                    .contains("GENERATION")
                    .contains("gpt-4o-2024-08-06")
                    .contains("120"));
            var trace = records.of(project.id(), TraceUpserted.TYPE).getFirst();
            assertThat(trace.key()).isEqualTo(key);
            assertThat(header(trace, "ce_type")).isEqualTo(TraceUpserted.TYPE);
            assertThat(trace.value()).contains("customer-7").contains("ticket-42");
        } finally {
            provider.shutdown().join(10, TimeUnit.SECONDS);
        }
    }
}
