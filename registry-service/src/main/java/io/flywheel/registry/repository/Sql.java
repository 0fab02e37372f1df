package io.flywheel.registry.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Small helpers for the native queries of this package. */
final class Sql {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Sql() {
    }

    /** A LIKE pattern that matches {@code s} literally (PostgreSQL's default escape is the backslash). */
    static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /**
     * A value as JSON text, for {@code cast(cast(:p as text) as jsonb)}: with a bare {@code cast(:p as jsonb)}
     * PostgreSQL types the parameter jsonb and the reactive client sends the text as a JSON string.
     */
    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON: " + value, e);
        }
    }
}
