package io.flywheel.gateway.llm;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written ExportTraceServiceResponse, read back with OTLP's generated classes. */
class OtlpResponsesTest {

    @Test
    void fullSuccessIsEmptyInBothEncodings() throws Exception {
        assertThat(OtlpResponses.json(0, null)).isEqualTo("{}");
        byte[] protobuf = OtlpResponses.protobuf(0, null);
        assertThat(protobuf).isEmpty();
        assertThat(ExportTraceServiceResponse.parseFrom(protobuf).hasPartialSuccess()).isFalse();
    }

    @Test
    void aPartialSuccessCountsAndSaysWhy() throws Exception {
        String why = "span 2: traceId must be 32 hex characters; é and a long tail " + "x".repeat(300);
        ExportTraceServiceResponse read = ExportTraceServiceResponse.parseFrom(OtlpResponses.protobuf(300, why));
        assertThat(read.getPartialSuccess().getRejectedSpans()).isEqualTo(300);
        assertThat(read.getPartialSuccess().getErrorMessage()).isEqualTo(why);
        assertThat(OtlpResponses.json(2, "bad ids"))
                .isEqualTo("{\"partialSuccess\":{\"rejectedSpans\":2,\"errorMessage\":\"bad ids\"}}");
    }
}
