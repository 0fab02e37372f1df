package io.flywheel.llm.ingest.otlp;

import io.flywheel.llm.ingest.JsonValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading a span's attributes the way Langfuse's OTel processor does: first key present wins, JSON strings parsed. */
final class SpanAttributes {
    private final Map<String, Object> span;
    private final Map<String, Object> resource;

    SpanAttributes(Map<String, Object> span, Map<String, Object> resource) {
        this.span = span;
        this.resource = resource;
    }

    Map<String, Object> all() {
        return span;
    }

    boolean has(String key) {
        return span.get(key) != null;
    }

    Object get(String key) {
        return span.get(key);
    }

    /** The first of these span attributes that is present, as text (numbers and booleans as their text). */
    String text(String... keys) {
        for (String key : keys) {
            Object value = span.get(key);
            if (value != null && !(value instanceof List || value instanceof Map)) {
                String text = String.valueOf(value);
                if (!text.isEmpty()) {
                    return text;
                }
            }
        }
        return null;
    }

    /** As {@link #text}, then the same keys among the resource's attributes. */
    String textOrResource(String... keys) {
        String value = text(keys);
        if (value != null) {
            return value;
        }
        for (String key : keys) {
            Object resourceValue = resource.get(key);
            if (resourceValue != null && !String.valueOf(resourceValue).isEmpty()) {
                return String.valueOf(resourceValue);
            }
        }
        return null;
    }

    String resourceText(String key) {
        Object value = resource.get(key);
        return value == null ? null : String.valueOf(value);
    }

    /** An attribute the SDKs send JSON-serialised: its parsed value (a plain string stays a string). */
    Object json(String key) {
        Object value = span.get(key);
        return value instanceof String text ? JsonValues.parseLenient(text) : value;
    }

    /** The attributes under a prefix, with the prefix taken off their keys. */
    Map<String, Object> under(String prefix) {
        Map<String, Object> found = new LinkedHashMap<>();
        span.forEach((key, value) -> {
            if (key.startsWith(prefix) && key.length() > prefix.length() && value != null) {
                found.put(key.substring(prefix.length()), value);
            }
        });
        return found;
    }

    /**
     * Flattened metadata ({@code <prefix>.<key>}): the SDKs JSON-stringify objects and arrays, which
     * are parsed back; other values stay as sent.
     */
    Map<String, Object> flattenedMetadata(String prefix) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        under(prefix + ".").forEach((key, value) -> {
            if (value instanceof String text && !text.isBlank() && (text.trim().startsWith("{") || text.trim().startsWith("["))) {
                metadata.put(key, JsonValues.parseLenient(text));
            } else {
                metadata.put(key, value);
            }
        });
        return metadata;
    }

    Boolean bool(String... keys) {
        for (String key : keys) {
            Object value = span.get(key);
            if (value instanceof Boolean b) {
                return b;
            }
            if (value instanceof String text && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
                return Boolean.parseBoolean(text);
            }
        }
        return null;
    }

    /** Tags as an array, a JSON array string, or a comma-separated string. */
    List<String> tags(String... keys) {
        for (String key : keys) {
            Object value = span.get(key);
            if (value instanceof String text && text.trim().startsWith("[")) {
                value = JsonValues.parseLenient(text);
            }
            if (value instanceof List<?> list) {
                List<String> tags = new ArrayList<>();
                list.stream().filter(java.util.Objects::nonNull).map(String::valueOf).forEach(tags::add);
                return tags;
            }
            if (value instanceof String text) {
                return java.util.Arrays.stream(text.split(",")).map(String::trim).filter(tag -> !tag.isEmpty()).toList();
            }
        }
        return null;
    }
}
