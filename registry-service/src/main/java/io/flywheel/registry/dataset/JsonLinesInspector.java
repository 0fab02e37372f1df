package io.flywheel.registry.dataset;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.flywheel.registry.ColumnSchema;
import io.flywheel.registry.MalformedDatasetException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON Lines (one JSON object per line, LF or CRLF) a line at a time, in memory bounded by
 * the longest line. A line that is not a single JSON object refuses the content, naming it. Blank
 * lines are skipped. Columns are the union of the objects' keys in first-seen order; a key missing
 * from some line, or null there, makes its column nullable. Nested objects and arrays are typed
 * {@code string} (the schema's types are integer, number, string and boolean).
 */
final class JsonLinesInspector implements DatasetInspector {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final int maxLineBytes;
    private final int maxColumns;

    private byte[] lineBytes = new byte[1024];
    private int lineLength;
    private long line = 1;
    private long rows;
    private final Map<String, Column> columns = new LinkedHashMap<>();
    private DatasetProfile profile;

    private static final class Column {
        ColumnType type = ColumnType.NONE;
        long present;
        boolean hadNull;
    }

    JsonLinesInspector(int maxLineBytes, int maxColumns) {
        this.maxLineBytes = maxLineBytes;
        this.maxColumns = maxColumns;
    }

    @Override
    public void update(byte[] bytes, int start, int length) {
        for (int i = start; i < start + length; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                endLine();
            } else {
                if (lineLength == maxLineBytes) {
                    throw new MalformedDatasetException(line, "the line is longer than " + maxLineBytes + " bytes");
                }
                if (lineLength == lineBytes.length) {
                    lineBytes = Arrays.copyOf(lineBytes, Math.min(lineBytes.length * 2, maxLineBytes));
                }
                lineBytes[lineLength++] = b;
            }
        }
    }

    private void endLine() {
        int length = lineLength;
        if (length > 0 && lineBytes[length - 1] == '\r') {
            length--;
        }
        if (!isBlank(lineBytes, length)) {
            parse(length);
            rows++;
        }
        lineLength = 0;
        line++;
    }

    private void parse(int length) {
        try (JsonParser parser = JSON.createParser(lineBytes, 0, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedDatasetException(line, "not a JSON object; each line must hold one object like {\"age\": 42}");
            }
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                Column column = columns.get(name);
                if (column == null) {
                    if (columns.size() == maxColumns) {
                        throw new MalformedDatasetException(line, "more than " + maxColumns + " distinct keys");
                    }
                    column = new Column();
                    columns.put(name, column);
                }
                column.present++;
                ColumnType seen = switch (value) {
                    case VALUE_NULL -> ColumnType.NONE;
                    case VALUE_TRUE, VALUE_FALSE -> ColumnType.BOOLEAN;
                    case VALUE_NUMBER_INT -> ColumnType.INTEGER;
                    case VALUE_NUMBER_FLOAT -> ColumnType.NUMBER;
                    case START_OBJECT, START_ARRAY -> {
                        parser.skipChildren();
                        yield ColumnType.STRING;
                    }
                    default -> ColumnType.STRING;
                };
                if (seen == ColumnType.NONE) {
                    column.hadNull = true;
                } else {
                    column.type = column.type.widen(seen);
                }
            }
            if (parser.nextToken() != null) {
                throw new MalformedDatasetException(line, "more than one JSON value; put one object per line");
            }
        } catch (JsonProcessingException e) {
            String column = e.getLocation() == null ? "" : " (column " + e.getLocation().getColumnNr() + ")";
            throw new MalformedDatasetException(line, "not valid JSON: " + e.getOriginalMessage() + column);
        } catch (IOException e) {
            throw new MalformedDatasetException(line, "not readable JSON: " + e.getMessage());
        }
    }

    private static boolean isBlank(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    @Override
    public void finish() {
        if (lineLength > 0) {
            endLine(); // the last line had no line end
        }
        if (rows == 0) {
            throw new MalformedDatasetException(1, "the body holds no JSON lines; send one object per line");
        }
        List<ColumnSchema> schema = new ArrayList<>(columns.size());
        columns.forEach((name, column) -> schema.add(new ColumnSchema(name, column.type.schemaName(),
                column.hadNull || column.present < rows || column.type == ColumnType.NONE)));
        profile = new DatasetProfile(rows, List.copyOf(schema));
    }

    @Override
    public DatasetProfile profile() {
        if (profile == null) {
            throw new IllegalStateException("the content has not been accepted yet");
        }
        return profile;
    }
}
