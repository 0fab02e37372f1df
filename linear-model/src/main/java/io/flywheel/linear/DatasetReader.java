package io.flywheel.linear;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a training dataset from a local file: CSV with a header row, or JSON Lines (one flat
 * object per line). {@code .csv} is CSV; {@code .jsonl}, {@code .ndjson} and {@code .json} are
 * JSON Lines; any other name is JSON Lines when its first character is <code>{</code>, else CSV.
 *
 * <p>Types: in JSON Lines a value's JSON type is its type (whole numbers are integers, others
 * numbers). A CSV cell is a boolean ({@code true}/{@code false}, any case), an integer, a
 * decimal number, or a string; a CSV column whose first non-empty cell is a string is a string
 * column, whatever its other cells look like. In both, a column is of one type: integers and
 * numbers mix (the column is then number), any other mix is an error naming the first line
 * that breaks it. Empty cells and JSON nulls are missing values, which the trainer refuses in
 * the columns it uses. Every error is an IllegalArgumentException naming the line.
 */
public final class DatasetReader {

    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*)://.*");

    private DatasetReader() {
    }

    /** Reads the dataset at a plain local path or a {@code file://} URI. */
    public static Dataset read(String uriOrPath) throws IOException {
        Path path = localPath(uriOrPath, "dataset");
        String text = readText(path, "dataset " + uriOrPath);
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase();
        boolean jsonLines;
        if (name.endsWith(".csv")) {
            jsonLines = false;
        } else if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
            jsonLines = true;
        } else {
            jsonLines = text.stripLeading().startsWith("{");
        }
        return jsonLines ? parseJsonLines(text, uriOrPath) : parseCsv(text, uriOrPath);
    }

    /** Parses CSV text (header row first); {@code source} is kept as the dataset's source. */
    public static Dataset parseCsv(String text, String source) {
        List<Record> records = csvRecords(stripBom(text));
        if (records.isEmpty()) {
            throw new IllegalArgumentException("the dataset is empty: no header row");
        }
        Record header = records.getFirst();
        List<String> columns = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < header.cells.size(); c++) {
            String name = header.cells.get(c).strip();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("line " + header.line + ": column " + (c + 1) + " has no name");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("line " + header.line + ": column '" + name + "' appears twice");
            }
            columns.add(name);
        }
        List<Record> data = records.subList(1, records.size());
        if (data.isEmpty()) {
            throw new IllegalArgumentException("the dataset has a header but no rows");
        }
        boolean[] stringColumn = new boolean[columns.size()];
        boolean[] decided = new boolean[columns.size()];
        for (Record record : data) {
            if (record.cells.size() != columns.size()) {
                throw new IllegalArgumentException("line " + record.line + ": " + record.cells.size()
                        + " fields, the header has " + columns.size());
            }
            for (int c = 0; c < columns.size(); c++) {
                Object value = csvCell(record.cells.get(c));
                if (!decided[c] && value != null) {
                    decided[c] = true;
                    stringColumn[c] = value instanceof String;
                }
            }
        }
        Dataset.ColumnTypes types = new Dataset.ColumnTypes("line");
        columns.forEach(types::declare);
        List<Map<String, Object>> rows = new ArrayList<>(data.size());
        int[] lines = new int[data.size()];
        for (int r = 0; r < data.size(); r++) {
            Record record = data.get(r);
            Map<String, Object> row = new LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) {
                String raw = record.cells.get(c);
                Object value = stringColumn[c] ? (raw.isEmpty() ? null : raw) : csvCell(raw);
                types.observe(columns.get(c), value, record.line);
                row.put(columns.get(c), value);
            }
            rows.add(row);
            lines[r] = record.line;
        }
        return types.finish(source, rows, lines);
    }

    /** Parses JSON Lines text; {@code source} is kept as the dataset's source. */
    public static Dataset parseJsonLines(String text, String source) {
        Dataset.ColumnTypes types = new Dataset.ColumnTypes("line");
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        String[] lines = stripBom(text).split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            int line = i + 1;
            if (lines[i].isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = Json.MAPPER.readTree(lines[i]);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("line " + line + ": not valid JSON: " + e.getOriginalMessage());
            }
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("line " + line + ": expected a JSON object, one row per line");
            }
            Map<String, Object> row = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                JsonNode value = field.getValue();
                Object cell = null;
                if (!value.isNull()) {
                    cell = Json.scalar(value);
                    if (cell == null) {
                        throw new IllegalArgumentException("line " + line + ": column '" + field.getKey() + "' is "
                                + (value.isArray() ? "an array" : "an object") + "; rows must be flat objects");
                    }
                }
                types.observe(field.getKey(), cell, line);
                row.put(field.getKey(), cell);
            }
            rows.add(row);
            lineNumbers.add(line);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("the dataset has no rows");
        }
        return types.finish(source, rows, lineNumbers.stream().mapToInt(Integer::intValue).toArray());
    }

    /** A local path from a plain path or a {@code file:} URI; other schemes are refused. */
    static Path localPath(String uriOrPath, String what) {
        if (uriOrPath == null || uriOrPath.isBlank()) {
            throw new IllegalArgumentException(what + " is required");
        }
        if (uriOrPath.startsWith("file:")) {
            try {
                return Path.of(URI.create(uriOrPath));
            } catch (IllegalArgumentException | FileSystemNotFoundException e) {
                throw new IllegalArgumentException(what + " " + uriOrPath + " is not a valid file URI");
            }
        }
        var scheme = SCHEME.matcher(uriOrPath);
        if (scheme.matches()) {
            throw new IllegalArgumentException(what + " " + uriOrPath + ": scheme '" + scheme.group(1)
                    + "' is not supported; give a local path or a file:// URI (the runner stages remote data)");
        }
        return Path.of(uriOrPath);
    }

    private static String readText(Path path, String what) throws IOException {
        if (Files.isDirectory(path)) {
            throw new IllegalArgumentException(what + " is a directory, not a file");
        }
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(what + " not found");
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " is not UTF-8 text");
        }
    }

    private static String stripBom(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** A CSV cell's value: null when empty, else Boolean, Long, Double or String. */
    private static Object csvCell(String raw) {
        if (raw.isEmpty()) {
            return null;
        }
        if (raw.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (raw.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        if (INTEGER.matcher(raw).matches()) {
            try {
                return Long.parseLong(raw);
            } catch (NumberFormatException tooLong) {
                return Double.parseDouble(raw);
            }
        }
        if (DECIMAL.matcher(raw).matches()) {
            double v = Double.parseDouble(raw);
            return Double.isFinite(v) ? (Object) v : raw;
        }
        return raw;
    }

    private record Record(int line, List<String> cells) {
    }

    /**
     * RFC 4180 records: comma-separated, fields optionally in double quotes (a quote inside one
     * doubled), quoted fields may hold commas and line breaks; unquoted fields are trimmed;
     * blank lines are skipped. Each record keeps the line it starts on.
     */
    private static List<Record> csvRecords(String s) {
        List<Record> records = new ArrayList<>();
        int n = s.length();
        int i = 0;
        int line = 1;
        while (i < n) {
            int recordLine = line;
            List<String> cells = new ArrayList<>();
            boolean anyQuoted = false;
            while (true) {
                while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                    i++;
                }
                StringBuilder cell = new StringBuilder();
                if (i < n && s.charAt(i) == '"') {
                    anyQuoted = true;
                    i++;
                    while (true) {
                        if (i >= n) {
                            throw new IllegalArgumentException("line " + recordLine + ": a quoted field is not closed");
                        }
                        char c = s.charAt(i);
                        if (c == '"') {
                            if (i + 1 < n && s.charAt(i + 1) == '"') {
                                cell.append('"');
                                i += 2;
                                continue;
                            }
                            i++;
                            break;
                        }
                        if (c == '\n' || (c == '\r' && (i + 1 >= n || s.charAt(i + 1) != '\n'))) {
                            line++;
                        }
                        cell.append(c);
                        i++;
                    }
                    while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                        i++;
                    }
                    if (i < n && s.charAt(i) != ',' && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
                        throw new IllegalArgumentException(
                                "line " + line + ": unexpected character after a closing quote");
                    }
                    cells.add(cell.toString());
                } else {
                    while (i < n && s.charAt(i) != ',' && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
                        cell.append(s.charAt(i));
                        i++;
                    }
                    cells.add(cell.toString().strip());
                }
                if (i < n && s.charAt(i) == ',') {
                    i++;
                    continue;
                }
                if (i < n && s.charAt(i) == '\r') {
                    i++;
                }
                if (i < n && s.charAt(i) == '\n') {
                    i++;
                }
                line++;
                break;
            }
            boolean blank = !anyQuoted && cells.size() == 1 && cells.getFirst().isEmpty();
            if (!blank) {
                records.add(new Record(recordLine, cells));
            }
        }
        return records;
    }
}
