package io.flywheel.llm.ingest.otlp;

import java.util.List;
import java.util.Map;

/**
 * One OTLP span as both wire formats read into it: ids as lowercase hex (as sent or as read from
 * bytes, not yet checked), times in unix nanoseconds (0 = not set), attribute values as plain Java
 * values (String, Boolean, Long, Double, List, Map). {@code where} locates it in the request for error lines.
 */
record Span(String where, String traceId, String spanId, String parentSpanId, String name, long startNanos, long endNanos,
        Map<String, Object> attributes, int statusCode, String statusMessage, List<SpanEvent> events,
        Map<String, Object> resource, String scopeName, String scopeVersion) {

    static final int STATUS_ERROR = 2;

    record SpanEvent(String name, long timeNanos, Map<String, Object> attributes) {
    }

    /** What a reader found in the request: the spans it could read and one line per span it could not. */
    record Decoded(List<Span> spans, List<String> errors) {
    }

    /** A span the reader could not read: it is skipped and counted, the rest of the request is kept. */
    static final class BadSpan extends RuntimeException {
        BadSpan(String message) {
            super(message, null, false, false);
        }
    }
}
