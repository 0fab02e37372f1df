package io.flywheel.llm.ingest.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OTLP/protobuf {@code ExportTraceServiceRequest} (what the Python and Java exporters send), read
 * with OpenTelemetry's own generated classes ({@code opentelemetry-proto}, whose 1.9.0-alpha is
 * generated for the protobuf-java 4.33 line the Quarkus BOM pins, so no field-by-field decoder is needed).
 */
final class OtlpProtobuf {
    private static final HexFormat HEX = HexFormat.of();

    private OtlpProtobuf() {
    }

    static Span.Decoded read(byte[] body) {
        ExportTraceServiceRequest request;
        try {
            request = ExportTraceServiceRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("the body must be an OTLP/protobuf ExportTraceServiceRequest: " + e.getMessage());
        }
        List<Span> spans = new ArrayList<>();
        for (int r = 0; r < request.getResourceSpansCount(); r++) {
            ResourceSpans resourceSpans = request.getResourceSpans(r);
            Resource resource = resourceSpans.getResource();
            Map<String, Object> resourceAttributes = attributes(resource.getAttributesList());
            for (int s = 0; s < resourceSpans.getScopeSpansCount(); s++) {
                ScopeSpans scopeSpans = resourceSpans.getScopeSpans(s);
                InstrumentationScope scope = scopeSpans.getScope();
                for (int i = 0; i < scopeSpans.getSpansCount(); i++) {
                    var span = scopeSpans.getSpans(i);
                    List<Span.SpanEvent> events = span.getEventsList().stream()
                            .map(event -> new Span.SpanEvent(event.getName(), event.getTimeUnixNano(), attributes(event.getAttributesList())))
                            .toList();
                    spans.add(new Span("resourceSpans[" + r + "].scopeSpans[" + s + "].spans[" + i + "]",
                            hex(span.getTraceId()), hex(span.getSpanId()), hex(span.getParentSpanId()), span.getName(),
                            span.getStartTimeUnixNano(), span.getEndTimeUnixNano(), attributes(span.getAttributesList()),
                            span.getStatus().getCodeValue(), span.getStatus().getMessage(), events, resourceAttributes,
                            scope.getName().isEmpty() ? null : scope.getName(),
                            scope.getVersion().isEmpty() ? null : scope.getVersion()));
                }
            }
        }
        return new Span.Decoded(spans, List.of());
    }

    private static String hex(ByteString bytes) {
        return bytes.isEmpty() ? null : HEX.formatHex(bytes.toByteArray());
    }

    private static Map<String, Object> attributes(List<KeyValue> list) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (KeyValue keyValue : list) {
            attributes.put(keyValue.getKey(), value(keyValue.getValue()));
        }
        return attributes;
    }

    private static Object value(AnyValue any) {
        return switch (any.getValueCase()) {
            case STRING_VALUE -> any.getStringValue();
            case BOOL_VALUE -> any.getBoolValue();
            case INT_VALUE -> any.getIntValue();
            case DOUBLE_VALUE -> any.getDoubleValue();
            case ARRAY_VALUE -> any.getArrayValue().getValuesList().stream().map(OtlpProtobuf::value).toList();
            case KVLIST_VALUE -> attributes(any.getKvlistValue().getValuesList());
            case BYTES_VALUE -> java.util.Base64.getEncoder().encodeToString(any.getBytesValue().toByteArray());
            default -> null;
        };
    }
}
