package io.flywheel.retrain.modeltest;

import io.flywheel.linear.Dataset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Holdout rows with one feature changed, and how values read in reports. */
final class Perturb {

    private Perturb() {
    }

    /** The row with {@code feature} set to {@code value}; the row itself is left as it is. */
    static Map<String, Object> with(Map<String, Object> row, String feature, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(row);
        copy.put(feature, value);
        return copy;
    }

    /** A number moved by delta: an integer stays an integer when delta is whole. */
    static Object shifted(Object value, double delta) {
        if (value instanceof Long l && delta == Math.rint(delta)) {
            return l + (long) delta;
        }
        return ((Number) value).doubleValue() + delta;
    }

    /** A number (not a boolean) in the cell. */
    static boolean numeric(Object value) {
        return value instanceof Number;
    }

    /** Indices of the holdout rows whose {@code feature} is a number. */
    static List<Integer> numericRows(Dataset holdout, String feature) {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < holdout.size(); i++) {
            if (numeric(holdout.rows().get(i).get(feature))) {
                indices.add(i);
            }
        }
        return indices;
    }

    /** A value as JSON would show it: strings quoted (cut at 40 characters), numbers by {@link ModelTestReport#format}. */
    static String render(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> "\"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
            case Number n -> ModelTestReport.format(n.doubleValue());
            default -> String.valueOf(value);
        };
    }

    /** A value as plain text, for names: strings as they are, numbers by {@link ModelTestReport#format}. */
    static String text(Object value) {
        return value instanceof String s ? s : render(value);
    }

    /** A delta with its sign: {@code +2}, {@code -0.5}. */
    static String signed(double delta) {
        return (delta > 0 ? "+" : "") + ModelTestReport.format(delta);
    }

    /** Null when the holdout has the column, else why the test can't run. */
    static String missingColumn(Dataset holdout, String feature) {
        if (holdout.columns().contains(feature)) {
            return null;
        }
        return "the holdout has no column '" + feature + "' (its columns: " + String.join(", ", holdout.columns()) + ")";
    }
}
