package io.flywheel.gateway.dashboard;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A list of JSON objects as rows and columns for a template: the columns asked for that the objects
 * have (or, when they have none of those, their own first few); nested values as compact JSON.
 */
public record Table(List<String> columns, List<List<String>> rows) {

    private static final int MAX_COLUMNS = 8;

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
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "";
        }
        String text = value.isValueNode() ? value.asText() : value.toString();
        return text.length() > 160 ? text.substring(0, 160) + "…" : text;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }
}
