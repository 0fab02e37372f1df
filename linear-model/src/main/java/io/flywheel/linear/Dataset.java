package io.flywheel.linear;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows of named, typed cells: what {@link DatasetReader} reads and {@link Trainer} fits.
 *
 * <p>Every cell is null (missing), or of its column's type: Double for {@code number}, Long for
 * {@code integer}, Boolean for {@code boolean}, String for {@code string} — the same Java types
 * that {@link LinearModel#predict(Map)} accepts, so rows can be scored as they are. Each row
 * keeps where it came from (its line in a file, or its position in memory) for messages.
 */
public final class Dataset {

    private final String source;
    private final String unit;
    private final List<String> columns;
    private final Map<String, FeatureType> types;
    private final List<Map<String, Object>> rows;
    private final int[] lines;

    Dataset(String source, String unit, List<String> columns, Map<String, FeatureType> types,
            List<Map<String, Object>> rows, int[] lines) {
        this.source = source;
        this.unit = unit;
        this.columns = List.copyOf(columns);
        this.types = Collections.unmodifiableMap(new LinkedHashMap<>(types));
        this.rows = Collections.unmodifiableList(rows);
        this.lines = lines;
    }

    /**
     * A dataset from rows in memory (Boolean, Number or String values, null for missing).
     * Column types are inferred as the readers do: booleans, integers (whole values of
     * integral Java types), numbers (integers and fractions mixed), strings; a column mixing
     * kinds is an IllegalArgumentException naming the first row that breaks it.
     */
    public static Dataset of(List<? extends Map<String, ?>> rows) {
        ColumnTypes inference = new ColumnTypes("row");
        List<Map<String, Object>> cells = new ArrayList<>(rows.size());
        int[] lines = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (Map.Entry<String, ?> e : rows.get(i).entrySet()) {
                Object value = Values.canonical(e.getValue(), "row " + (i + 1) + ": column '" + e.getKey() + "'");
                if (value instanceof Double d && !Double.isFinite(d)) {
                    throw new IllegalArgumentException(
                            "row " + (i + 1) + ": column '" + e.getKey() + "' is not finite (" + d + ")");
                }
                inference.observe(e.getKey(), value, i + 1);
                row.put(e.getKey(), value);
            }
            cells.add(row);
            lines[i] = i + 1;
        }
        return inference.finish(null, cells, lines);
    }

    /** Where the rows came from (path or URI as given), or null for rows in memory. */
    public String source() {
        return source;
    }

    /** Column names in first-seen order. */
    public List<String> columns() {
        return columns;
    }

    /** A column's type, or null when the column has no values at all (or does not exist). */
    public FeatureType type(String column) {
        return types.get(column);
    }

    /** Column types by name. */
    public Map<String, FeatureType> types() {
        return types;
    }

    /** The rows, each a map from column name to cell (null or absent when missing). */
    public List<Map<String, Object>> rows() {
        return rows;
    }

    public int size() {
        return rows.size();
    }

    /** Where row i came from, for messages: {@code line 12} or {@code row 12}. */
    public String locate(int i) {
        return unit + " " + lines[i];
    }

    /** The rows at these indices, in this order, with their types and origins. */
    public Dataset select(int[] indices) {
        List<Map<String, Object>> picked = new ArrayList<>(indices.length);
        int[] pickedLines = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            picked.add(rows.get(indices[k]));
            pickedLines[k] = lines[indices[k]];
        }
        return new Dataset(source, unit, columns, types, picked, pickedLines);
    }

    /**
     * Splits into train and holdout rows with {@link DataSplit#holdoutIndices(int, double, long)}:
     * the same rows, fraction and seed always give the same split.
     */
    public Split split(double holdoutFraction, long seed) {
        boolean[] holdout = DataSplit.holdoutMask(rows.size(), holdoutFraction, seed);
        int count = 0;
        for (boolean h : holdout) {
            count += h ? 1 : 0;
        }
        int[] trainIdx = new int[rows.size() - count];
        int[] holdoutIdx = new int[count];
        int t = 0;
        int h = 0;
        for (int i = 0; i < holdout.length; i++) {
            if (holdout[i]) {
                holdoutIdx[h++] = i;
            } else {
                trainIdx[t++] = i;
            }
        }
        return new Split(select(trainIdx), select(holdoutIdx));
    }

    /** A train/holdout split; both keep the original row order. */
    public record Split(Dataset train, Dataset holdout) {
    }

    @Override
    public String toString() {
        return "Dataset[" + (source == null ? "in memory" : source) + ", " + rows.size() + " rows, columns "
                + types + "]";
    }

    /**
     * Column type inference shared by the readers: the first non-missing value fixes a column's
     * kind; integers and numbers mix (the column becomes number); any other mix is an error
     * naming the first line that breaks it.
     */
    static final class ColumnTypes {

        private final String unit;
        private final Map<String, FeatureType> types = new LinkedHashMap<>();
        private final Map<String, Integer> firstLine = new LinkedHashMap<>();
        private final List<String> columns = new ArrayList<>();

        ColumnTypes(String unit) {
            this.unit = unit;
        }

        void declare(String column) {
            if (!columns.contains(column)) {
                columns.add(column);
            }
        }

        void observe(String column, Object value, int line) {
            declare(column);
            if (value == null) {
                return;
            }
            FeatureType kind = switch (value) {
                case Boolean b -> FeatureType.BOOLEAN;
                case Long l -> FeatureType.INTEGER;
                case Double d -> FeatureType.NUMBER;
                default -> FeatureType.STRING;
            };
            FeatureType seen = types.get(column);
            if (seen == null) {
                types.put(column, kind);
                firstLine.put(column, line);
            } else if (seen != kind) {
                if (seen.isNumeric() && kind.isNumeric()) {
                    types.put(column, FeatureType.NUMBER);
                } else {
                    throw new IllegalArgumentException(unit + " " + line + ": column '" + column + "' has "
                            + Values.describe(value) + ", but the column holds " + plural(seen) + " (from " + unit
                            + " " + firstLine.get(column) + ")");
                }
            }
        }

        private static String plural(FeatureType type) {
            return switch (type) {
                case NUMBER, INTEGER -> "numbers";
                case BOOLEAN -> "booleans";
                case STRING -> "strings";
            };
        }

        /** Builds the dataset, turning the Longs of number columns into Doubles. */
        Dataset finish(String source, List<Map<String, Object>> rows, int[] lines) {
            for (Map<String, Object> row : rows) {
                for (Map.Entry<String, Object> e : row.entrySet()) {
                    if (e.getValue() instanceof Long l && types.get(e.getKey()) == FeatureType.NUMBER) {
                        e.setValue(l.doubleValue());
                    }
                }
            }
            List<Map<String, Object>> frozen = new ArrayList<>(rows.size());
            for (Map<String, Object> row : rows) {
                frozen.add(Collections.unmodifiableMap(row));
            }
            return new Dataset(source, unit, columns, types, frozen, lines);
        }
    }
}
