package io.flywheel.retrain.evaluation;

import io.flywheel.linear.Dataset;
import io.flywheel.linear.Task;

import java.util.List;
import java.util.Map;

/**
 * A model as evaluation sees it, whatever its format: what it predicts for labelled rows. The
 * metrics are computed from these scores by one code path ({@link Evaluator#metrics}, on
 * linear-model's {@code Metrics}), so a candidate and a champion of different formats are judged
 * alike. Plain Java.
 */
public interface Predictor extends AutoCloseable {

    /** The version's {@code format}: {@code flywheel-linear} or {@code onnx}. */
    String format();

    /** What the model predicts: a binary class (with the positive class's probability) or a number. */
    Task task();

    /**
     * The model on these rows, beside the truth.
     *
     * @param target the column that holds the label (the policy's {@code trainer.params.target})
     * @throws IllegalArgumentException a row the model can't score, or a label it does not know, naming the row
     */
    Scores score(Dataset rows, String target);

    /**
     * What the model outputs for these rows, without labels: per row the probability of the positive
     * class (classification) or the predicted number (regression). It is the scoring call of deploy's
     * serving runtime: {@code LinearModel.score} per row for a linear model, one run of the ONNX Runtime
     * session on the rows as one matrix ({@code TabularInput}) for ONNX. The model tests
     * ({@code modeltest/}) perturb rows and time it through this method.
     *
     * @throws IllegalArgumentException a row the model can't score, naming it ({@code row 1} is the first)
     */
    double[] predict(List<? extends Map<String, ?>> rows);

    /** At or above this probability the model predicts the positive class; NaN for a regression. */
    double threshold();

    /** Frees what the model holds (an ONNX Runtime session); nothing for a linear model. */
    @Override
    void close();

    /**
     * @param actual    per row: 1 or 0 (the positive class or not) for classification, the target for regression
     * @param predicted per row: the probability of the positive class, or the predicted number
     * @param threshold a probability at or above it predicts the positive class (classification)
     */
    record Scores(double[] actual, double[] predicted, double threshold) {
    }
}
