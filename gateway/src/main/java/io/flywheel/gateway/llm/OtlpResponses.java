package io.flywheel.gateway.llm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OTLP's {@code ExportTraceServiceResponse} (opentelemetry-proto, collector/trace/v1): empty on full
 * success, else {@code partial_success = 1 {rejected_spans = 1 (int64), error_message = 2 (string)}}.
 * Written by hand in both encodings: two fields need no protobuf runtime. Plain Java.
 */
public final class OtlpResponses {

    private OtlpResponses() {
    }

    /** OTLP/JSON: {@code {}} or {@code {"partialSuccess":{"rejectedSpans":"n","errorMessage":"..."}}} (proto3 JSON readers take the int64 as a number or a string). */
    public static String json(long rejectedSpans, String errorMessage) {
        if (rejectedSpans <= 0 && (errorMessage == null || errorMessage.isEmpty())) {
            return "{}";
        }
        Map<String, Object> partial = new LinkedHashMap<>();
        partial.put("rejectedSpans", rejectedSpans);
        if (errorMessage != null && !errorMessage.isEmpty()) {
            partial.put("errorMessage", errorMessage);
        }
        return LangfuseResource.write(Map.of("partialSuccess", partial));
    }

    public static byte[] protobuf(long rejectedSpans, String errorMessage) {
        if (rejectedSpans <= 0 && (errorMessage == null || errorMessage.isEmpty())) {
            return new byte[0];
        }
        ByteArrayOutputStream partial = new ByteArrayOutputStream();
        if (rejectedSpans != 0) {
            partial.write(0x08); // field 1, varint
            varint(partial, rejectedSpans);
        }
        if (errorMessage != null && !errorMessage.isEmpty()) {
            byte[] text = errorMessage.getBytes(StandardCharsets.UTF_8);
            partial.write(0x12); // field 2, length-delimited
            varint(partial, text.length);
            partial.writeBytes(text);
        }
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        response.write(0x0A); // field 1 (partial_success), length-delimited
        varint(response, partial.size());
        response.writeBytes(partial.toByteArray());
        return response.toByteArray();
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
