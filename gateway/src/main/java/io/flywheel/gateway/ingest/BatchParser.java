package io.flywheel.gateway.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a batch (a JSON array, or JSON Lines: one record per line) into typed events, checking each
 * one against the event's own contract. All or nothing: one bad record and the batch is refused with
 * every bad record's position and reason, so a client never has to find out which half went through.
 */
public final class BatchParser {

    /** A bad record: {@code index} counts from 0 in an array; {@code line} counts from 1 in JSON Lines. */
    public record RecordError(int index, Integer line, String error) {
    }

    public static final class InvalidBatchException extends RuntimeException {
        public final List<RecordError> errors;

        InvalidBatchException(String message, List<RecordError> errors) {
            super(message, null, false, false);
            this.errors = errors;
        }
    }

    public static final class TooLargeException extends RuntimeException {
        TooLargeException(String message) {
            super(message, null, false, false);
        }
    }

    private BatchParser() {
    }

    public static <T> List<T> parse(ObjectMapper json, String body, boolean jsonLines, Class<T> type, int maxRecords) {
        if (body == null || body.isBlank()) {
            throw new InvalidBatchException("the batch is empty: send at least one record", List.of());
        }
        List<Numbered> nodes = jsonLines ? lines(json, body, maxRecords) : array(json, body, maxRecords);
        List<T> records = new ArrayList<>(nodes.size());
        List<RecordError> errors = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Numbered node = nodes.get(i);
            try {
                records.add(json.treeToValue(node.value(), type));
            } catch (ValueInstantiationException e) {
                errors.add(new RecordError(i, node.line(), e.getCause() != null ? e.getCause().getMessage() : e.getOriginalMessage()));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                errors.add(new RecordError(i, node.line(), e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidBatchException(errors.size() + " of " + nodes.size()
                    + " records are invalid; nothing was published: fix them and send the batch again", errors);
        }
        return records;
    }

    private record Numbered(JsonNode value, Integer line) {
    }

    private static List<Numbered> array(ObjectMapper json, String body, int maxRecords) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidBatchException("the body is not valid JSON: " + e.getOriginalMessage() + where(e), List.of());
        }
        if (root == null || !root.isArray()) {
            throw new InvalidBatchException("the body must be a JSON array of records (or JSON Lines with Content-Type application/x-ndjson)", List.of());
        }
        if (root.isEmpty()) {
            throw new InvalidBatchException("the batch is empty: send at least one record", List.of());
        }
        checkSize(root.size(), maxRecords);
        List<Numbered> nodes = new ArrayList<>(root.size());
        root.forEach(node -> nodes.add(new Numbered(node, null)));
        return nodes;
    }

    private static List<Numbered> lines(ObjectMapper json, String body, int maxRecords) {
        List<Numbered> nodes = new ArrayList<>();
        String[] lines = body.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            checkSize(nodes.size() + 1, maxRecords);
            try {
                nodes.add(new Numbered(json.readTree(lines[i]), i + 1));
            } catch (JsonProcessingException e) {
                throw new InvalidBatchException("line " + (i + 1) + " is not valid JSON: " + e.getOriginalMessage(), List.of());
            }
        }
        if (nodes.isEmpty()) {
            throw new InvalidBatchException("the batch is empty: send at least one record", List.of());
        }
        return nodes;
    }

    private static void checkSize(int size, int maxRecords) {
        if (size > maxRecords) {
            throw new TooLargeException("a batch holds at most " + maxRecords + " records; split it");
        }
    }

    private static String where(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
