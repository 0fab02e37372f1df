package io.flywheel.llm.ingest.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import io.flywheel.llm.ingest.JsonValues;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * OTLP/JSON {@code ExportTraceServiceRequest} as OpenTelemetry's exporters write it: ids as hex
 * strings (not proto3 JSON's base64), 64-bit integers as strings or numbers, enums as integers.
 * Field names in lowerCamelCase as the OTLP spec says; the proto names (snake_case), which proto3
 * JSON parsers also accept, are read too.
 */
final class OtlpJson {

    private OtlpJson() {
    }

    static Span.Decoded read(byte[] body) {
        JsonNode root;
        try {
            root = JsonValues.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the body must be OTLP/JSON (an ExportTraceServiceRequest): " + firstLine(e));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object {\"resourceSpans\": [...]}");
        }
        List<Span> spans = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        JsonNode resourceSpans = array(root, "resourceSpans", "resource_spans");
        for (int r = 0; r < resourceSpans.size(); r++) {
            JsonNode resourceSpan = resourceSpans.get(r);
            Map<String, Object> resource;
            try {
                resource = attributes(field(field(resourceSpan, "resource"), "attributes"));
            } catch (Span.BadSpan e) {
                throw new IllegalArgumentException("resourceSpans[" + r + "].resource: " + e.getMessage());
            }
            JsonNode scopeSpans = array(resourceSpan, "scopeSpans", "scope_spans");
            for (int s = 0; s < scopeSpans.size(); s++) {
                JsonNode scopeSpan = scopeSpans.get(s);
                JsonNode scope = field(scopeSpan, "scope");
                String scopeName = text(field(scope, "name"));
                String scopeVersion = text(field(scope, "version"));
                JsonNode spanList = array(scopeSpan, "spans");
                for (int i = 0; i < spanList.size(); i++) {
                    String where = "resourceSpans[" + r + "].scopeSpans[" + s + "].spans[" + i + "]";
                    try {
                        spans.add(span(where, spanList.get(i), resource, scopeName, scopeVersion));
                    } catch (Span.BadSpan e) {
                        errors.add(where + ": " + e.getMessage());
                    }
                }
            }
        }
        return new Span.Decoded(spans, errors);
    }

    private static Span span(String where, JsonNode span, Map<String, Object> resource, String scopeName, String scopeVersion) {
        if (span == null || !span.isObject()) {
            throw new Span.BadSpan("a span must be an object");
        }
        JsonNode status = field(span, "status");
        List<Span.SpanEvent> events = new ArrayList<>();
        JsonNode eventList = field(span, "events");
        if (eventList != null && eventList.isArray()) {
            for (JsonNode event : eventList) {
                events.add(new Span.SpanEvent(text(field(event, "name")), nanos(field(event, "timeUnixNano", "time_unix_nano")),
                        attributes(field(event, "attributes"))));
            }
        }
        return new Span(where, id(field(span, "traceId", "trace_id")), id(field(span, "spanId", "span_id")),
                id(field(span, "parentSpanId", "parent_span_id")), text(field(span, "name")),
                nanos(field(span, "startTimeUnixNano", "start_time_unix_nano")), nanos(field(span, "endTimeUnixNano", "end_time_unix_nano")),
                attributes(field(span, "attributes")), statusCode(field(status, "code")), text(field(status, "message")), events,
                resource, scopeName, scopeVersion);
    }

    /** A KeyValue list as a map; a list that is not an array rejects the span (Langfuse answers 400 for it). */
    private static Map<String, Object> attributes(JsonNode list) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        if (list == null || list.isNull()) {
            return attributes;
        }
        if (!list.isArray()) {
            throw new Span.BadSpan("attributes must be an array of {key, value}");
        }
        for (JsonNode keyValue : list) {
            String key = text(field(keyValue, "key"));
            if (key != null) {
                attributes.put(key, value(field(keyValue, "value")));
            }
        }
        return attributes;
    }

    /** An AnyValue: {stringValue}, {boolValue}, {intValue}, {doubleValue}, {arrayValue}, {kvlistValue} or {bytesValue}. */
    private static Object value(JsonNode any) {
        if (any == null || !any.isObject()) {
            return null;
        }
        JsonNode v;
        if ((v = field(any, "stringValue", "string_value")) != null) {
            return v.asText();
        }
        if ((v = field(any, "boolValue", "bool_value")) != null) {
            return v.isBoolean() ? v.booleanValue() : Boolean.parseBoolean(v.asText());
        }
        if ((v = field(any, "intValue", "int_value")) != null) {
            try {
                return v.isNumber() ? v.longValue() : Long.parseLong(v.asText().trim());
            } catch (NumberFormatException e) {
                throw new Span.BadSpan("intValue must be an integer, was " + v);
            }
        }
        if ((v = field(any, "doubleValue", "double_value")) != null) {
            try {
                return v.isNumber() ? v.doubleValue() : Double.parseDouble(v.asText().trim());
            } catch (NumberFormatException e) {
                throw new Span.BadSpan("doubleValue must be a number, was " + v);
            }
        }
        if ((v = field(any, "arrayValue", "array_value")) != null) {
            List<Object> values = new ArrayList<>();
            JsonNode list = field(v, "values");
            if (list != null && list.isArray()) {
                list.forEach(element -> values.add(value(element)));
            }
            return values;
        }
        if ((v = field(any, "kvlistValue", "kvlist_value")) != null) {
            return attributes(field(v, "values"));
        }
        if ((v = field(any, "bytesValue", "bytes_value")) != null) {
            return v.asText();
        }
        return null;
    }

    private static long nanos(JsonNode value) {
        if (value == null) {
            return 0;
        }
        try {
            return value.isNumber() ? value.longValue() : Long.parseLong(value.asText().trim());
        } catch (NumberFormatException e) {
            throw new Span.BadSpan("times must be unix nanoseconds (a string or a number), was " + value);
        }
    }

    private static int statusCode(JsonNode code) {
        if (code == null) {
            return 0;
        }
        if (code.isNumber()) {
            return code.intValue();
        }
        return switch (code.asText()) {
            case "STATUS_CODE_OK", "1" -> 1;
            case "STATUS_CODE_ERROR", "2" -> 2;
            default -> 0;
        };
    }

    private static String id(JsonNode value) {
        String id = text(value);
        return id == null || id.isEmpty() ? null : id.toLowerCase(Locale.ROOT);
    }

    private static String text(JsonNode value) {
        return value == null || !value.isValueNode() ? null : value.asText();
    }

    private static JsonNode array(JsonNode parent, String... names) {
        JsonNode value = field(parent, names);
        if (value == null) {
            return JsonValues.MAPPER.createArrayNode();
        }
        if (!value.isArray()) {
            throw new IllegalArgumentException(names[0] + " must be an array");
        }
        return value;
    }

    private static JsonNode field(JsonNode parent, String... names) {
        if (parent == null || !parent.isObject()) {
            return null;
        }
        for (String name : names) {
            JsonNode value = parent.get(name);
            if (value != null && !value.isNull()) {
                return value;
            }
        }
        return null;
    }

    private static String firstLine(IOException e) {
        String message = String.valueOf(e instanceof com.fasterxml.jackson.core.JsonProcessingException json
                ? json.getOriginalMessage() : e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
