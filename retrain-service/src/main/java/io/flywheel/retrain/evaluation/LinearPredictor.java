package io.flywheel.retrain.evaluation;

import io.flywheel.linear.Dataset;
import io.flywheel.linear.InvalidInputException;
import io.flywheel.linear.LinearModel;
import io.flywheel.linear.ModelArtifact;
import io.flywheel.linear.Task;

import java.util.List;
import java.util.Map;

/**
 * A {@code flywheel-linear/v1} model. Its rows and labels are read as linear-model's own
 * {@code Evaluation.evaluate} reads them (its target column and labels, its threshold), so its
 * metrics here equal the ones the reference trainer reports (a test checks it).
 */
public final class LinearPredictor implements Predictor {

    public static final String FORMAT = "flywheel-linear";

    private final LinearModel model;

    public LinearPredictor(LinearModel model) {
        this.model = model;
    }

    /** The model of an artifact; IllegalArgumentException when it is not a {@code flywheel-linear/v1} model. */
    public static LinearPredictor of(byte[] artifact) {
        try {
            return new LinearPredictor(LinearModel.fromJson(new String(artifact, java.nio.charset.StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a " + ModelArtifact.FORMAT + " model: " + e.getMessage(), e);
        }
    }

    public LinearModel model() {
        return model;
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public Task task() {
        return model.task();
    }

    /** The artifact's own target column is read (for a champion, the one it was trained on). */
    @Override
    public Scores score(Dataset rows, String target) {
        if (rows.size() == 0) {
            throw new IllegalArgumentException("no rows to evaluate on");
        }
        ModelArtifact.Target own = model.artifact().target();
        boolean classification = model.task() == Task.BINARY_CLASSIFICATION;
        double[] actual = new double[rows.size()];
        double[] predicted = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = rows.rows().get(i);
            Object value = row.get(own.name());
            if (value == null) {
                throw new IllegalArgumentException(rows.locate(i) + ": target '" + own.name() + "' is missing");
            }
            if (classification) {
                if (own.isPositive(value)) {
                    actual[i] = 1.0;
                } else if (!own.isNegative(value)) {
                    throw new IllegalArgumentException(rows.locate(i) + ": target '" + own.name() + "' is " + Labels.render(value)
                            + ", neither the positive label " + Labels.render(own.positiveLabel()) + " nor the negative label "
                            + Labels.render(own.negativeLabel()));
                }
            } else if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
                actual[i] = number.doubleValue();
            } else {
                throw new IllegalArgumentException(rows.locate(i) + ": target '" + own.name() + "' must be a finite number, got "
                        + Labels.render(value));
            }
            try {
                predicted[i] = model.score(row);
            } catch (InvalidInputException e) {
                throw new IllegalArgumentException(rows.locate(i) + ": " + e.getMessage(), e);
            }
        }
        return new Scores(actual, predicted, classification ? model.artifact().threshold() : Double.NaN);
    }

    @Override
    public double[] predict(List<? extends Map<String, ?>> rows) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = model.score(rows.get(i));
            } catch (InvalidInputException e) {
                throw new IllegalArgumentException("row " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    @Override
    public double threshold() {
        return model.task() == Task.BINARY_CLASSIFICATION ? model.artifact().threshold() : Double.NaN;
    }

    @Override
    public void close() {
        // nothing outside the heap
    }

    @Override
    public String toString() {
        return "flywheel-linear " + model.task().id() + " model on " + model.artifact().featureNames();
    }
}
