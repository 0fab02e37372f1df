package io.flywheel.llm.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Protobuf cases the Java SDK does not produce: ids of the wrong length, array attributes as Python's exporter writes them. */
class OtlpProtobufTest {
    private static final HexFormat HEX = HexFormat.of();

    private static Span span(String traceId, String spanId) {
        return Span.newBuilder().setTraceId(ByteString.fromHex(traceId)).setSpanId(ByteString.fromHex(spanId)).setName("op")
                .setStartTimeUnixNano(1_780_768_800_000_000_000L)
                .addAttributes(KeyValue.newBuilder().setKey("langfuse.trace.tags").setValue(AnyValue.newBuilder()
                        .setArrayValue(ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setStringValue("x")))))
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"))
                .build();
    }

    @Test
    void aSpanWithAShortIdIsRejectedAndTheOthersKept() {
        String trace = HEX.formatHex(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("langfuse-sdk"))
                        .addSpans(span(trace, "0102030405060708"))
                        .addSpans(span("01020304", "0102030405060709"))))
                .build();

        OtlpResult result = OtlpTraces.read("demo", request.toByteArray(), false, Instant.EPOCH);

        assertThat(result.rejectedSpans()).isOne();
        assertThat(result.errors()).containsExactly(
                "resourceSpans[0].scopeSpans[0].spans[1]: traceId must be 32 hex characters (16 bytes, not all zero), was \"01020304\"");
        assertThat(result.mapped().observations()).singleElement().satisfies(o -> {
            assertThat(o.traceId()).isEqualTo(trace);
            assertThat(o.level()).isEqualTo("ERROR");
            assertThat(o.statusMessage()).isEqualTo("boom");
        });
        assertThat(result.mapped().traces()).singleElement().satisfies(t -> assertThat(t.tags()).isEqualTo(List.of("x")));
    }
}
