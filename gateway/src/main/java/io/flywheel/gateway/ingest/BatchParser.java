package io.flywheel.gateway.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a JSON array of records into typed events, checking each one. All or nothing: one bad record
 * and the batch is refused with every bad record's index and reason, so a client never has to find
 * out which half of its batch went through.
 */
public final class BatchParser {

    public record RecordError(int index, String error) {
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

    static <T> List<T> parse(ObjectMapper json, String body, Class<T> type, int maxRecords) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidBatchException("the body is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")", List.of());
        }
        if (root == null || !root.isArray()) {
            throw new InvalidBatchException("the body must be a JSON array of records", List.of());
        }
        if (root.isEmpty()) {
            throw new InvalidBatchException("the batch is empty: send at least one record", List.of());
        }
        if (root.size() > maxRecords) {
            throw new TooLargeException("a batch holds at most " + maxRecords + " records; this one has " + root.size()
                    + ": split it");
        }
        List<T> records = new ArrayList<>(root.size());
        List<RecordError> errors = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            try {
                records.add(json.treeToValue(root.get(i), type));
            } catch (ValueInstantiationException e) {
                errors.add(new RecordError(i, e.getCause() != null ? e.getCause().getMessage() : e.getOriginalMessage()));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                errors.add(new RecordError(i, e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidBatchException(errors.size() + " of " + root.size()
                    + " records are invalid; nothing was published: fix them and send the batch again", errors);
        }
        return records;
    }
}
