package io.flywheel.retrain.evaluation;

import io.flywheel.linear.Dataset;
import io.flywheel.linear.Task;
import io.flywheel.onnx.OnnxGraph;
import io.flywheel.onnx.OnnxModel;
import io.flywheel.onnx.TabularInput;
import io.flywheel.onnx.Tensor;
import io.flywheel.onnx.ValueSpec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * An ONNX model that takes one matrix [n, k] (scikit-learn, XGBoost, most tabular torch exports), run on
 * ONNX Runtime through onnx-model. {@link TabularInput} puts the holdout rows into the matrix in the
 * order of the version's signature (its features); booleans are 1 and 0.
 *
 * <p>What it predicts follows the contract (docs/CONTRACTS.md, "Model formats"): a graph with a
 * ZipMap output, or with a label and a probabilities matrix [n, classes], is a classifier whose
 * positive class is the column labelled {@code 1} or {@code true}, else the last; a graph with one
 * numeric output is a regression. A classifier predicts the positive class when its probability is at
 * least 0.5 (what {@code predict} does for a binary classifier).
 */
public final class OnnxPredictor implements Predictor {

    public static final String FORMAT = "onnx";
    static final double THRESHOLD = 0.5;

    private final OnnxModel model;
    private final TabularInput input;
    private final Task task;
    private final String output;

    private OnnxPredictor(OnnxModel model, TabularInput input, Task task, String output) {
        this.model = model;
        this.input = input;
        this.task = task;
        this.output = output;
    }

    /**
     * Loads the model (a native ONNX Runtime session: {@link #close} it).
     *
     * @param features the version's signature: the matrix's columns in order
     * @throws IllegalArgumentException not ONNX, not servable by ONNX Runtime, not one matrix of these
     *                                  features, or neither a classifier nor a regression; the message says which
     */
    public static OnnxPredictor load(byte[] bytes, List<String> features) {
        OnnxGraph graph = OnnxGraph.read(bytes);
        TabularInput input;
        try {
            input = TabularInput.of(graph, features);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("retrain evaluates ONNX models that take one matrix of the signature's features: " + e.getMessage(), e);
        }
        ValueSpec probabilities = probabilities(graph.outputs());
        ValueSpec value = probabilities == null ? value(graph.outputs()) : null;
        if (probabilities == null && value == null) {
            throw new IllegalArgumentException("the model is neither a classifier (a label and probabilities [n, classes], or a ZipMap) "
                    + "nor a regression (one numeric output); its outputs are " + describe(graph.outputs()));
        }
        OnnxModel model = OnnxModel.load(bytes);
        return new OnnxPredictor(model, input, probabilities != null ? Task.BINARY_CLASSIFICATION : Task.REGRESSION,
                probabilities != null ? probabilities.name() : value.name());
    }

    /** A ZipMap output, or with two outputs or more, a floating-point matrix [n, c] with c other than 1. */
    private static ValueSpec probabilities(List<ValueSpec> outputs) {
        for (ValueSpec spec : outputs) {
            if (spec.isSequenceOfMaps()) {
                return spec;
            }
        }
        if (outputs.size() < 2) {
            return null;
        }
        for (ValueSpec spec : outputs) {
            if ((Tensor.FP32.equals(spec.v2Datatype()) || Tensor.FP64.equals(spec.v2Datatype())) && spec.rank() == 2
                    && spec.shape().get(1) != 1) {
                return spec;
            }
        }
        return null;
    }

    /** The one output of a regression: a numeric tensor [n] or [n, 1]. */
    private static ValueSpec value(List<ValueSpec> outputs) {
        if (outputs.size() != 1) {
            return null;
        }
        ValueSpec spec = outputs.getFirst();
        Set<String> numeric = Set.of(Tensor.FP32, Tensor.FP64, Tensor.INT64, Tensor.INT32, "FP16", "BF16");
        boolean shaped = spec.rank() == 1 || spec.rank() == -1 || spec.rank() == 2 && spec.shape().get(1) <= 1;
        return numeric.contains(spec.v2Datatype()) && shaped ? spec : null;
    }

    private static String describe(List<ValueSpec> specs) {
        return String.join(", ", specs.stream().map(s -> "'" + s.name() + "' (" + s.description() + ")").toList());
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public Task task() {
        return task;
    }

    public List<String> features() {
        return input.features();
    }

    @Override
    public Scores score(Dataset rows, String target) {
        int n = rows.size();
        if (n == 0) {
            throw new IllegalArgumentException("no rows to evaluate on");
        }
        // a row the model can't take is named by its line in the dataset rather than its position in the batch
        Tensor out = run(rows.rows(), rows::locate);
        double[] predicted = values(out, n);
        double[] actual = new double[n];
        if (task == Task.REGRESSION) {
            for (int i = 0; i < n; i++) {
                actual[i] = number(rows, i, target);
            }
            return new Scores(actual, predicted, Double.NaN);
        }
        List<String> labels = out.labels();
        int positive = Labels.positiveColumn(labels, (int) out.shape()[1]);
        for (int i = 0; i < n; i++) {
            actual[i] = positive(rows, i, target, labels, positive);
        }
        return new Scores(actual, predicted, THRESHOLD);
    }

    @Override
    public double[] predict(List<? extends Map<String, ?>> rows) {
        if (rows.isEmpty()) {
            return new double[0];
        }
        return values(run(rows, i -> "row " + (i + 1)), rows.size());
    }

    @Override
    public double threshold() {
        return task == Task.BINARY_CLASSIFICATION ? THRESHOLD : Double.NaN;
    }

    /** The session on the rows as one matrix; a row missing a feature, or holding other than numbers, is refused naming it. */
    private Tensor run(List<? extends Map<String, ?>> rows, IntFunction<String> locate) {
        for (int i = 0; i < rows.size(); i++) {
            Map<String, ?> row = rows.get(i);
            for (String feature : input.features()) {
                Object value = row.get(feature);
                if (value == null) {
                    throw new IllegalArgumentException(locate.apply(i) + ": feature '" + feature + "' is missing");
                }
                if (!(value instanceof Number || value instanceof Boolean)) {
                    throw new IllegalArgumentException(locate.apply(i) + ": feature '" + feature + "' is " + Labels.render(value)
                            + ", but the ONNX model takes numbers (its input '" + input.inputName() + "' is one " + input.datatype() + " matrix)");
                }
            }
        }
        return model.run(input.rows(rows)).get(output);
    }

    /** Per row: the regression's value, or the positive class's probability (the column labelled 1 or true, else the last). */
    private double[] values(Tensor out, int n) {
        double[] predicted = new double[n];
        if (task == Task.REGRESSION) {
            if (out.size() != n) {
                throw new IllegalArgumentException("the model's output '" + output + "' has " + out.size() + " values for " + n + " rows");
            }
            for (int i = 0; i < n; i++) {
                predicted[i] = out.value(i);
            }
            return predicted;
        }
        int columns = out.rank() == 2 ? (int) out.shape()[1] : -1;
        if (out.rows() != n || columns < 2) {
            throw new IllegalArgumentException("the model's probabilities '" + output + "' have shape " + java.util.Arrays.toString(out.shape())
                    + " for " + n + " rows; a binary classifier gives [n, 2]");
        }
        int positive = Labels.positiveColumn(out.labels(), columns);
        for (int i = 0; i < n; i++) {
            predicted[i] = out.value(i, positive);
        }
        return predicted;
    }

    /** 1 when the row's label is the positive class, 0 for another of the model's classes. */
    private static double positive(Dataset rows, int i, String target, List<String> labels, int positive) {
        Object value = rows.rows().get(i).get(target);
        if (value == null) {
            throw new IllegalArgumentException(rows.locate(i) + ": target '" + target + "' is missing");
        }
        if (labels == null || labels.isEmpty()) {
            // no class labels in the graph: the positive class can only be told for 1/0 and true/false labels
            if (Labels.matches(value, "1")) {
                return 1.0;
            }
            if (Labels.matches(value, "0")) {
                return 0.0;
            }
            throw new IllegalArgumentException(rows.locate(i) + ": target '" + target + "' is " + Labels.render(value)
                    + "; the model's probabilities carry no class labels, so only 1/0 or true/false labels can be matched with its columns");
        }
        if (Labels.matches(value, labels.get(positive))) {
            return 1.0;
        }
        for (String label : labels) {
            if (Labels.matches(value, label)) {
                return 0.0;
            }
        }
        throw new IllegalArgumentException(rows.locate(i) + ": target '" + target + "' is " + Labels.render(value)
                + ", not one of the model's classes " + new ArrayList<>(new LinkedHashSet<>(labels)));
    }

    private static double number(Dataset rows, int i, String target) {
        Object value = rows.rows().get(i).get(target);
        if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
            return number.doubleValue();
        }
        throw new IllegalArgumentException(rows.locate(i) + ": target '" + target + "' must be a finite number, got "
                + (value == null ? "nothing" : Labels.render(value)));
    }

    @Override
    public void close() {
        model.close();
    }

    @Override
    public String toString() {
        return "onnx " + task.id() + " model on " + input.features();
    }
}
