package io.flywheel.monitor.window;

import java.util.Map;

/**
 * A prediction joined with its label, classified for quality metrics:
 * <ul>
 *   <li>binary classification: the label is a boolean, or 0/1 while the output is a score in [0, 1]
 *       or a boolean; the predicted class is score &gt;= 0.5;</li>
 *   <li>regression: a numeric label otherwise;</li>
 *   <li>categorical (multiclass): a string label, a hit when the output equals it.</li>
 * </ul>
 * An output may also be an object with {@code score}/{@code probability} and/or
 * {@code label}/{@code class}/{@code value}. {@link #error()} is the value the concept-drift
 * detectors watch: 0/1 for classes, |y - ŷ| for regression.
 */
public sealed interface Outcome {

    double error();

    boolean classification();

    record Binary(boolean actual, boolean predicted, double score) implements Outcome {
        public double error() {
            return actual == predicted ? 0.0 : 1.0;
        }

        public boolean classification() {
            return true;
        }
    }

    record Regression(double actual, double predicted) implements Outcome {
        public double error() {
            return Math.abs(actual - predicted);
        }

        public boolean classification() {
            return false;
        }
    }

    record Categorical(boolean hit) implements Outcome {
        public double error() {
            return hit ? 0.0 : 1.0;
        }

        public boolean classification() {
            return true;
        }
    }

    /** The scalar an output stands for (its score, else its label), or null. */
    static Object scalar(Object output) {
        if (output instanceof Map<?, ?> m) {
            for (String k : new String[]{"score", "probability", "value", "label", "class", "prediction"}) {
                if (m.get(k) != null) {
                    return m.get(k);
                }
            }
            return null;
        }
        return output;
    }

    /** Classifies a (output, label) pair; throws IllegalArgumentException when they don't fit together. */
    static Outcome of(Object output, Object label) {
        if (label == null) {
            throw new IllegalArgumentException("label is missing");
        }
        Object out = scalar(output);
        Object predictedLabel = output instanceof Map<?, ?> m
                ? (m.get("label") != null ? m.get("label") : m.get("class")) : null;
        if (out == null) {
            throw new IllegalArgumentException("the prediction has no output to compare the label with");
        }
        Boolean actualClass = asClass(label, out);
        if (actualClass != null) {
            double score = out instanceof Boolean b ? (b ? 1.0 : 0.0) : ((Number) out).doubleValue();
            boolean predicted = predictedLabel != null && asClass(predictedLabel, predictedLabel) != null
                    ? asClass(predictedLabel, predictedLabel) : score >= 0.5;
            double s = score >= 0 && score <= 1 ? score : Double.NaN;
            return new Binary(actualClass, predicted, s);
        }
        if (label instanceof Number y && out instanceof Number p) {
            return new Regression(y.doubleValue(), p.doubleValue());
        }
        Object predicted = predictedLabel != null ? predictedLabel : out;
        return new Categorical(Binner.categoryOf(label).equals(Binner.categoryOf(predicted)));
    }

    private static Boolean asClass(Object label, Object out) {
        if (label instanceof Boolean b) {
            return b;
        }
        boolean scoreLike = out instanceof Boolean || (out instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 1);
        if (label instanceof Number n && scoreLike && (n.doubleValue() == 0.0 || n.doubleValue() == 1.0)) {
            return n.doubleValue() == 1.0;
        }
        return null;
    }
}
