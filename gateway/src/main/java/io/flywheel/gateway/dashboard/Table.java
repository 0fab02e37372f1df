package io.flywheel.gateway.dashboard;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A list of JSON objects as rows and columns for a template: the columns asked for that the objects
 * have (or, when they have none of those, their own first few); nested values made readable.
 */
public record Table(List<String> columns, List<List<String>> rows) {

    private static final int MAX_COLUMNS = 8;
    private static final int MAX_CELL = 240;
    private static final MathContext FOUR_DIGITS = new MathContext(4);
    /** A content hash or a UUID: the first 12 characters tell them apart on a screen. */
    private static final Pattern LONG_ID = Pattern.compile("[0-9a-f-]{20,}");

    public static Table of(JsonNode items, List<String> preferred) {
        if (items == null || !items.isArray()) {
            return new Table(List.of(), List.of());
        }
        Set<String> columns = new LinkedHashSet<>();
        for (String column : preferred) {
            for (JsonNode item : items) {
                if (item.has(column)) {
                    columns.add(column);
                    break;
                }
            }
        }
        if (columns.isEmpty()) {
            for (JsonNode item : items) {
                item.fieldNames().forEachRemaining(name -> {
                    if (columns.size() < MAX_COLUMNS) {
                        columns.add(name);
                    }
                });
            }
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode item : items) {
            List<String> row = new ArrayList<>();
            for (String column : columns) {
                row.add(text(item.get(column)));
            }
            rows.add(row);
        }
        return new Table(List.copyOf(columns), rows);
    }

    static String text(JsonNode value) {
        String text = readable(value);
        return text.length() > MAX_CELL ? text.substring(0, MAX_CELL) + "…" : text;
    }

    /**
     * What a person reads in a cell: objects as "name value" pairs, lists comma-separated, numbers to
     * four significant digits, long ids (hashes, UUIDs) shortened, and empty parts left out.
     */
    private static String readable(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "";
        }
        if (value.isFloatingPointNumber() && Double.isFinite(value.asDouble())) {
            return BigDecimal.valueOf(value.asDouble()).round(FOUR_DIGITS).stripTrailingZeros().toPlainString();
        }
        if (value.isValueNode()) {
            String text = value.asText();
            return LONG_ID.matcher(text).matches() ? text.substring(0, 12) + "…" : text;
        }
        List<String> parts = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(element -> addIfPresent(parts, null, element));
        } else {
            value.properties().forEach(field -> addIfPresent(parts, field.getKey(), field.getValue()));
        }
        return String.join(", ", parts);
    }

    private static void addIfPresent(List<String> parts, String name, JsonNode value) {
        String text = readable(value);
        if (text.isEmpty()) {
            return;
        }
        // a nested value of several parts is bracketed, so its parts don't read as the parent's
        String shown = text;
        if (text.contains(", ") && value.isObject()) {
            shown = "(" + text + ")";
        } else if (text.contains(", ") && value.isArray() && value.size() > 1) {
            shown = "[" + text + "]";
        }
        parts.add(name == null ? shown : name + " " + shown);
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }
}
