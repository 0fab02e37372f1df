package io.flywheel.llm.ingest.langfuse;

import com.fasterxml.jackson.databind.JsonNode;
import io.flywheel.events.TraceIds;
import io.flywheel.llm.ingest.JsonValues;
import io.flywheel.llm.ingest.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An event body's fields, read with Langfuse's types: absent and null are the same, a wrong type is an {@link InvalidEvent}. */
final class Body {
    private final JsonNode node;

    Body(JsonNode node) {
        this.node = node;
    }

    boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    JsonNode raw(String field) {
        return has(field) ? node.get(field) : null;
    }

    Object json(String field) {
        return JsonValues.plain(raw(field));
    }

    String string(String field) {
        JsonNode value = raw(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidEvent(field + " must be a string");
        }
        return value.textValue();
    }

    String string(String field, int maxLength) {
        String value = string(field);
        if (value != null && value.length() > maxLength) {
            throw new InvalidEvent(field + " must be at most " + maxLength + " characters");
        }
        return value;
    }

    String id(String field) {
        String value = string(field);
        if (value != null && !TraceIds.valid(value)) {
            throw new InvalidEvent(field + " must be 1 to " + TraceIds.MAX_LENGTH + " characters without line breaks");
        }
        return value;
    }

    String requiredId(String field) {
        String value = id(field);
        if (value == null) {
            throw new InvalidEvent(field + " is required");
        }
        return value;
    }

    Instant time(String field) {
        String value = string(field);
        try {
            return value == null ? null : Timestamps.parse(field, value);
        } catch (IllegalArgumentException e) {
            throw new InvalidEvent(e.getMessage());
        }
    }

    Boolean bool(String field) {
        JsonNode value = raw(field);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new InvalidEvent(field + " must be true or false");
        }
        return value.booleanValue();
    }

    Integer integer(String field) {
        JsonNode value = raw(field);
        if (value == null) {
            return null;
        }
        if (!value.canConvertToExactIntegral() || !value.canConvertToInt()) {
            throw new InvalidEvent(field + " must be an integer");
        }
        return value.intValue();
    }

    List<String> strings(String field) {
        JsonNode value = raw(field);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            throw new InvalidEvent(field + " must be an array of strings");
        }
        List<String> strings = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw new InvalidEvent(field + " must be an array of strings");
            }
            strings.add(element.textValue());
        }
        return strings;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> object(String field) {
        JsonNode value = raw(field);
        if (value == null) {
            return null;
        }
        if (!value.isObject()) {
            throw new InvalidEvent(field + " must be an object");
        }
        return (Map<String, Object>) JsonValues.plain(value);
    }

    String oneOf(String field, java.util.Set<String> allowed) {
        String value = string(field);
        if (value != null && !allowed.contains(value)) {
            throw new InvalidEvent(field + " must be one of " + new java.util.TreeSet<>(allowed) + ", was " + value);
        }
        return value;
    }
}
