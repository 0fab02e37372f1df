package io.flywheel.retrain.data;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Assembles a training set from the monitor's labelled rows (and the rows of a base dataset), and
 * writes it as JSON Lines. Plain Java, deterministic: the same rows and range give the same bytes,
 * so the registry (content-addressed) gives the same dataset version id, and a job can be reproduced.
 *
 * <ul>
 *   <li>labelled rows count when {@code from <= labelled_at < to};</li>
 *   <li>a request id seen twice (a segment written again after a crash) counts once;</li>
 *   <li>labelled rows are ordered by (labelled_at, request_id), after the base rows in their order;</li>
 *   <li>columns: the features' names sorted, then the target (which receives the label);</li>
 *   <li>a row whose label is missing, or with a feature that is not a scalar, is left out and counted.</li>
 * </ul>
 */
public final class TrainingSet {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One line of a labelled segment: {@code {"request_id","model","version","time","labelled_at","features","prediction","label"}}. */
    public record LabelledRow(String requestId, int version, Instant time, Instant labelledAt, Map<String, Object> features,
                              Object label) {
    }

    /**
     * The assembled rows.
     *
     * @param columns      in the order written: features sorted, the target last
     * @param baseRows     rows taken from the base dataset
     * @param labelledRows rows taken from the labelled segments
     * @param skipped      labelled rows in range left out (missing label, non-scalar feature)
     * @param duplicates   labelled rows in range dropped as repeats of a request id
     */
    public record Assembly(List<String> columns, List<Map<String, Object>> rows, int baseRows, int labelledRows,
                           int skipped, int duplicates) {
        public int size() {
            return rows.size();
        }
    }

    private TrainingSet() {
    }

    /**
     * Parses one line of a segment; null when it is not a labelled row at all (counted by the caller as malformed).
     */
    public static LabelledRow parse(JsonNode line) {
        if (line == null || !line.isObject()) {
            return null;
        }
        String requestId = line.path("request_id").isTextual() ? line.get("request_id").textValue() : null;
        Instant labelledAt = instant(line.get("labelled_at"));
        JsonNode features = line.get("features");
        if (requestId == null || labelledAt == null || features == null || !features.isObject()) {
            return null;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : features.properties()) {
            values.put(e.getKey(), scalar(e.getValue()));
        }
        return new LabelledRow(requestId, line.path("version").asInt(0), instant(line.get("time")), labelledAt, values,
                scalar(line.get("label")));
    }

    /** How many distinct request ids were labelled in {@code [since, to)}: the "new rows" of the guardrail. */
    public static long countNew(List<LabelledRow> rows, Instant since, Instant to) {
        Set<String> seen = new java.util.HashSet<>();
        for (LabelledRow row : rows) {
            if (!row.labelledAt().isBefore(since) && row.labelledAt().isBefore(to)) {
                seen.add(row.requestId());
            }
        }
        return seen.size();
    }

    /**
     * @param baseRows rows of the base dataset (already typed by the dataset reader), possibly empty
     * @param target   the column the label goes into (the trainer's {@code target})
     */
    public static Assembly assemble(List<? extends Map<String, ?>> baseRows, List<LabelledRow> labelled, String target,
                                    Instant from, Instant to) {
        Map<String, LabelledRow> latest = new LinkedHashMap<>();
        int inRange = 0;
        for (LabelledRow row : labelled) {
            if (row.labelledAt().isBefore(from) || !row.labelledAt().isBefore(to)) {
                continue;
            }
            inRange++;
            LabelledRow seen = latest.get(row.requestId());
            if (seen == null || row.labelledAt().isAfter(seen.labelledAt())) {
                latest.put(row.requestId(), row);
            }
        }
        int duplicates = inRange - latest.size();
        List<LabelledRow> ordered = new ArrayList<>(latest.values());
        ordered.sort(Comparator.comparing(LabelledRow::labelledAt).thenComparing(LabelledRow::requestId));

        Set<String> featureNames = new TreeSet<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, ?> base : baseRows) {
            Map<String, Object> row = new LinkedHashMap<>();
            base.forEach((k, v) -> row.put(k, canonical(v)));
            base.keySet().stream().filter(k -> !k.equals(target)).forEach(featureNames::add);
            rows.add(row);
        }
        int skipped = 0;
        int taken = 0;
        for (LabelledRow row : ordered) {
            if (row.label() == null || row.label() == NOT_SCALAR
                    || row.features().values().stream().anyMatch(v -> v == NOT_SCALAR)
                    || row.features().containsKey(target)) {
                skipped++;
                continue;
            }
            Map<String, Object> out = new LinkedHashMap<>(row.features());
            out.put(target, row.label());
            featureNames.addAll(row.features().keySet());
            rows.add(out);
            taken++;
        }
        List<String> columns = new ArrayList<>(featureNames);
        columns.add(target);
        return new Assembly(List.copyOf(columns), rows, baseRows.size(), taken, skipped, duplicates);
    }

    /** Writes the rows as JSON Lines, keys in column order, a missing value as null, one {@code \n} after each row. */
    public static void write(Assembly assembly, OutputStream out) {
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            json.setRootValueSeparator(null);
            for (Map<String, Object> row : assembly.rows()) {
                json.writeStartObject();
                for (String column : assembly.columns()) {
                    json.writeFieldName(column);
                    Object value = row.get(column);
                    switch (value) {
                        case null -> json.writeNull();
                        case Boolean b -> json.writeBoolean(b);
                        case Long l -> json.writeNumber(l);
                        case Double d -> json.writeNumber(d);
                        default -> json.writeString(value.toString());
                    }
                }
                json.writeEndObject();
                json.writeRaw('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Columns of the assembly that some row lacks a value for (the trainer refuses those if it uses them). */
    public static Set<String> incompleteColumns(Assembly assembly) {
        Set<String> incomplete = new LinkedHashSet<>();
        for (Map<String, Object> row : assembly.rows()) {
            for (String column : assembly.columns()) {
                if (row.get(column) == null) {
                    incomplete.add(column);
                }
            }
        }
        return incomplete;
    }

    /** Marks a value that a flat row can't hold (an object or an array). */
    static final Object NOT_SCALAR = new Object() {
        @Override
        public String toString() {
            return "(not a scalar)";
        }
    };

    private static Object scalar(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            if (node.canConvertToLong()) {
                return Long.valueOf(node.longValue());
            }
            return Double.valueOf(node.doubleValue());
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        return NOT_SCALAR;
    }

    /** Longs for whole-number types, Doubles for the others, as the dataset reader and the writer expect. */
    static Object canonical(Object value) {
        return switch (value) {
            case null -> null;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case BigInteger b -> b.longValue();
            case Float f -> f.doubleValue();
            case BigDecimal b -> b.doubleValue();
            default -> value;
        };
    }

    private static Instant instant(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(node.textValue());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
