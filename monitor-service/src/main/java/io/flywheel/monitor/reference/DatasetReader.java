package io.flywheel.monitor.reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a tabular sample, CSV (header row, RFC 4180 quoting) or JSON Lines (one object a line),
 * into columns. CSV cells become numbers when they parse as numbers, booleans for true/false, null
 * when empty, strings otherwise. Errors name the line.
 */
public final class DatasetReader {

    private DatasetReader() {
    }

    public static Map<String, List<Object>> read(String body, String format, ObjectMapper json) {
        if (body == null || body.isBlank()) {
            throw new IllegalArgumentException("the sample is empty");
        }
        return "jsonl".equals(format) ? jsonLines(body, json) : csv(body);
    }

    public static Map<String, List<Object>> jsonLines(String body, ObjectMapper json) {
        Map<String, List<Object>> columns = new LinkedHashMap<>();
        int row = 0;
        int lineNo = 0;
        for (String line : body.split("\r?\n")) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            Map<?, ?> obj;
            try {
                Object parsed = json.readValue(line, Object.class);
                if (!(parsed instanceof Map<?, ?> m)) {
                    throw new IllegalArgumentException("line " + lineNo + " is not a JSON object");
                }
                obj = m;
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("line " + lineNo + " is not valid JSON: " + e.getOriginalMessage());
            }
            for (var e : obj.entrySet()) {
                List<Object> col = columns.computeIfAbsent(String.valueOf(e.getKey()), k -> new ArrayList<>());
                while (col.size() < row) {
                    col.add(null);
                }
                col.add(e.getValue());
            }
            row++;
        }
        for (List<Object> col : columns.values()) {
            while (col.size() < row) {
                col.add(null);
            }
        }
        if (row == 0) {
            throw new IllegalArgumentException("the sample has no rows");
        }
        return columns;
    }

    public static Map<String, List<Object>> csv(String body) {
        List<List<String>> records = parseCsv(body);
        if (records.size() < 2) {
            throw new IllegalArgumentException("a CSV sample needs a header line and at least one row");
        }
        List<String> header = records.get(0);
        Map<String, List<Object>> columns = new LinkedHashMap<>();
        for (String h : header) {
            if (columns.put(h.trim(), new ArrayList<>()) != null) {
                throw new IllegalArgumentException("CSV header names column '" + h.trim() + "' twice");
            }
        }
        List<String> names = new ArrayList<>(columns.keySet());
        for (int r = 1; r < records.size(); r++) {
            List<String> cells = records.get(r);
            if (cells.size() == 1 && cells.get(0).isEmpty()) {
                continue;
            }
            if (cells.size() != names.size()) {
                throw new IllegalArgumentException("CSV line " + (r + 1) + " has " + cells.size() + " cells, the header "
                        + names.size());
            }
            for (int c = 0; c < names.size(); c++) {
                columns.get(names.get(c)).add(cell(cells.get(c)));
            }
        }
        return columns;
    }

    static Object cell(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return null;
        }
        if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(t.toLowerCase());
        }
        char c = t.charAt(0);
        if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.') {
            try {
                return Double.parseDouble(t);
            } catch (NumberFormatException ignored) {
                // a string that starts like a number
            }
        }
        return text;
    }

    private static List<List<String>> parseCsv(String body) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        int n = body.length();
        for (int i = 0; i < n; i++) {
            char ch = body.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < n && body.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                record.add(cell.toString());
                cell.setLength(0);
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r' && i + 1 < n && body.charAt(i + 1) == '\n') {
                    i++;
                }
                record.add(cell.toString());
                cell.setLength(0);
                records.add(record);
                record = new ArrayList<>();
            } else {
                cell.append(ch);
            }
        }
        if (cell.length() > 0 || !record.isEmpty()) {
            record.add(cell.toString());
            records.add(record);
        }
        if (quoted) {
            throw new IllegalArgumentException("CSV ends inside a quoted cell");
        }
        return records;
    }
}
