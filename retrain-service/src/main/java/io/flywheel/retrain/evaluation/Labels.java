package io.flywheel.retrain.evaluation;

import java.util.List;

/** How a label from the data is matched with a model's class labels (which ONNX gives as strings). */
final class Labels {

    private Labels() {
    }

    /**
     * Whether a value of the target column is the class {@code label}: equal as text (a whole number
     * without its {@code .0}; {@code true}/{@code True}), and booleans are also 1 and 0 — scikit-learn
     * writes the classes of a boolean target as the integers 1 and 0.
     */
    static boolean matches(Object value, String label) {
        if (value == null || label == null) {
            return false;
        }
        if (text(value).equalsIgnoreCase(label)) {
            return true;
        }
        if (value instanceof Boolean b) {
            return label.equals(b ? "1" : "0");
        }
        if (value instanceof Number n && (n.doubleValue() == 1.0 || n.doubleValue() == 0.0)) {
            return label.equalsIgnoreCase(n.doubleValue() == 1.0 ? "true" : "false");
        }
        return false;
    }

    /**
     * The positive class of a classifier's probability columns, as the contract picks it: the column
     * labelled {@code 1} or {@code true}, else the last. Returns its index.
     */
    static int positiveColumn(List<String> labels, int columns) {
        if (labels != null && labels.size() == columns) {
            for (int c = 0; c < columns; c++) {
                String label = labels.get(c);
                if ("1".equals(label) || "true".equalsIgnoreCase(label)) {
                    return c;
                }
            }
        }
        return columns - 1;
    }

    /** The value as text: strings as they are, whole numbers without a fraction. */
    static String text(Object value) {
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        if (value instanceof Float f && f == Math.rint(f) && Math.abs(f) < 1e7) {
            return Long.toString(f.longValue());
        }
        return String.valueOf(value);
    }

    /** The value as it would appear in JSON, for messages (strings quoted, cut at 40 characters). */
    static String render(Object value) {
        if (value instanceof String s) {
            return "\"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
        }
        return String.valueOf(value);
    }
}
