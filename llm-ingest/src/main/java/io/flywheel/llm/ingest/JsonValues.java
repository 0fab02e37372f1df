package io.flywheel.llm.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON values as the event records carry them: maps, lists, strings, numbers, booleans. */
public final class JsonValues {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonValues() {
    }

    /** A JSON node as plain Java values; null for a missing or JSON null node. */
    public static Object plain(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return MAPPER.convertValue(node, Object.class);
    }

    /** Metadata is a map in the records: an object stays as it is, any other value goes under "metadata". */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> metadata(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        Map<String, Object> wrapped = new LinkedHashMap<>();
        wrapped.put("metadata", value);
        return wrapped;
    }

    /**
     * What SDKs send as a JSON-serialised string (OTLP attributes): its parsed value when it is JSON,
     * else the string itself (the SDKs send a plain string as it is).
     */
    public static Object parseLenient(String text) {
        if (text == null) {
            return null;
        }
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            return text;
        }
        char first = trimmed.charAt(0);
        boolean looksJson = first == '{' || first == '[' || first == '"' || first == '-' || Character.isDigit(first)
                || trimmed.equals("true") || trimmed.equals("false") || trimmed.equals("null");
        if (!looksJson) {
            return text;
        }
        try {
            return plain(MAPPER.readTree(trimmed));
        } catch (JsonProcessingException e) {
            return text;
        }
    }
}
