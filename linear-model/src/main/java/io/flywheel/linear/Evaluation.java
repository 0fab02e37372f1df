package io.flywheel.linear;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Scores a model on labelled rows with {@link Metrics}: the one code path by which retrain
 * judges a candidate and the champion on the same holdout, and the trainer writes metrics.json.
 */
public final class Evaluation {

    private static final Set<String> LOWER_IS_BETTER = Set.of("log_loss", "mae", "rmse", "mape");

    private Evaluation() {
    }

    /**
     * The metrics of {@code model} on rows that hold its features and its target column (the
     * target's positive or negative label for classification, a number for regression). A row
     * that cannot be scored is an IllegalArgumentException naming it ({@code row 3: ...}, 1-based).
     */
    public static Map<String, Double> evaluate(LinearModel model, List<? extends Map<String, ?>> rows) {
        return evaluate(model, rows, i -> "row " + (i + 1));
    }

    /** As {@link #evaluate(LinearModel, List)}, with messages naming the dataset's lines. */
    public static Map<String, Double> evaluate(LinearModel model, Dataset data) {
        return evaluate(model, data.rows(), data::locate);
    }

    /** Whether a larger value of this metric is better (false for log_loss, mae, rmse, mape). */
    public static boolean higherIsBetter(String metric) {
        return !LOWER_IS_BETTER.contains(metric);
    }

    private static Map<String, Double> evaluate(LinearModel model, List<? extends Map<String, ?>> rows,
                                                IntFunction<String> where) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no rows to evaluate on");
        }
        ModelArtifact.Target target = model.artifact().target();
        boolean classification = model.task() == Task.BINARY_CLASSIFICATION;
        double[] actual = new double[rows.size()];
        double[] predicted = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Map<String, ?> row = rows.get(i);
            Object value = row.get(target.name());
            if (value == null) {
                throw new IllegalArgumentException(where.apply(i) + ": target '" + target.name() + "' is missing");
            }
            if (classification) {
                if (target.isPositive(value)) {
                    actual[i] = 1.0;
                } else if (!target.isNegative(value)) {
                    throw new IllegalArgumentException(where.apply(i) + ": target '" + target.name() + "' is "
                            + Values.render(value) + ", neither the positive label "
                            + Values.render(target.positiveLabel()) + " nor the negative label "
                            + Values.render(target.negativeLabel()));
                }
            } else if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
                actual[i] = number.doubleValue();
            } else {
                throw new IllegalArgumentException(where.apply(i) + ": target '" + target.name()
                        + "' must be a finite number, got " + Values.describe(value));
            }
            try {
                predicted[i] = model.score(row);
            } catch (InvalidInputException e) {
                throw new IllegalArgumentException(where.apply(i) + ": " + e.getMessage(), e);
            }
        }
        return classification
                ? Metrics.classification(actual, predicted, model.artifact().threshold())
                : Metrics.regression(actual, predicted);
    }
}
