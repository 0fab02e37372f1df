package io.flywheel.onnx;

import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Feeds a model that takes one matrix (a single [n, k] FP32 or FP64 input, as scikit-learn, XGBoost
 * and most tabular torch exports have) from data held per feature: column k of the matrix is the
 * k-th feature of an ordered list, the model version's signature. Callers whose rows or columns are
 * keyed by feature name (a v2 request with one input per feature, a dataset) use it to build the
 * matrix in the order the model was trained on.
 *
 * <pre>{@code
 * TabularInput table = TabularInput.of(model.graph(), List.of("age", "income", "score"));
 * Map<String, Tensor> out = model.run(table.columns(Map.of(
 *         "age", new double[] {41, 35}, "income", new double[] {52000, 61000}, "score", new double[] {0.3, 0.1})));
 * }</pre>
 */
public final class TabularInput {

    private final String inputName;
    private final String datatype;
    private final List<String> features;

    private TabularInput(String inputName, String datatype, List<String> features) {
        this.inputName = inputName;
        this.datatype = datatype;
        this.features = features;
    }

    /** Whether the model takes exactly one input, an FP32 or FP64 matrix (or a tensor of undeclared shape). */
    public static boolean fits(OnnxGraph graph) {
        if (graph.inputs().size() != 1) {
            return false;
        }
        ValueSpec input = graph.inputs().getFirst();
        return input.kind() == ValueSpec.Kind.TENSOR
                && (Tensor.FP32.equals(input.v2Datatype()) || Tensor.FP64.equals(input.v2Datatype()))
                && (input.rank() == 2 || input.rank() == -1);
    }

    /**
     * @param features the feature names in column order
     * @throws IllegalArgumentException when the model does not take one matrix ({@link #fits}), when
     *                                  its width is fixed and differs from the number of features, or
     *                                  when a feature name repeats
     */
    public static TabularInput of(OnnxGraph graph, List<String> features) {
        if (!fits(graph)) {
            throw new IllegalArgumentException("the model does not take a single FP32 or FP64 matrix; its inputs are "
                    + graph.inputs().stream().map(spec -> "'" + spec.name() + "' (" + spec.description() + ")").toList());
        }
        ValueSpec input = graph.inputs().getFirst();
        if (features.isEmpty()) {
            throw new IllegalArgumentException("no features");
        }
        if (new HashSet<>(features).size() != features.size()) {
            throw new IllegalArgumentException("feature names repeat: " + features);
        }
        if (input.rank() == 2 && input.shape().get(1) >= 0 && input.shape().get(1) != features.size()) {
            throw new IllegalArgumentException("input '" + input.name() + "' (" + input.description() + ") takes "
                    + input.shape().get(1) + " features per row, " + features.size() + " were named");
        }
        return new TabularInput(input.name(), input.v2Datatype(), List.copyOf(features));
    }

    public String inputName() {
        return inputName;
    }

    /** FP32 or FP64, as the model's input. */
    public String datatype() {
        return datatype;
    }

    public List<String> features() {
        return features;
    }

    /**
     * The model's inputs from per-feature columns of equal length. A column is a double[], float[],
     * long[], int[] or boolean[], or a List of Numbers and Booleans (true is 1). Columns that are not
     * features are ignored.
     *
     * @throws IllegalArgumentException a feature missing, a column of another length, or a value that
     *                                  is no number; the message names the feature
     */
    public Map<String, Tensor> columns(Map<String, ?> columns) {
        int k = features.size();
        int n = -1;
        String first = null;
        double[][] values = new double[k][];
        for (int c = 0; c < k; c++) {
            String feature = features.get(c);
            Object column = columns.get(feature);
            if (column == null) {
                throw new IllegalArgumentException("feature '" + feature + "' is missing");
            }
            values[c] = column(feature, column);
            if (n < 0) {
                n = values[c].length;
                first = feature;
            } else if (values[c].length != n) {
                throw new IllegalArgumentException("feature '" + feature + "' has " + values[c].length
                        + " values, feature '" + first + "' has " + n);
            }
        }
        return matrix(n, (row, col) -> values[col][row]);
    }

    /**
     * The model's inputs from rows keyed by feature name (values Numbers or Booleans; keys that are not
     * features are ignored).
     *
     * @throws IllegalArgumentException a feature missing from a row or a value that is no number; the
     *                                  message names the row and the feature
     */
    public Map<String, Tensor> rows(List<? extends Map<String, ?>> rows) {
        int k = features.size();
        double[][] values = new double[rows.size()][k];
        for (int r = 0; r < rows.size(); r++) {
            Map<String, ?> row = rows.get(r);
            for (int c = 0; c < k; c++) {
                String feature = features.get(c);
                Object value = row.get(feature);
                if (value == null) {
                    throw new IllegalArgumentException("row " + r + ": feature '" + feature + "' is missing");
                }
                values[r][c] = number(feature, r, value);
            }
        }
        return matrix(rows.size(), (row, col) -> values[row][col]);
    }

    /** One row keyed by feature name: a [1, k] matrix. */
    public Map<String, Tensor> row(Map<String, ?> row) {
        return rows(List.of(row));
    }

    private interface Cell {
        double at(int row, int column);
    }

    private Map<String, Tensor> matrix(int n, Cell cell) {
        int k = features.size();
        if (datatype.equals(Tensor.FP32)) {
            float[] data = new float[n * k];
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < k; c++) {
                    data[r * k + c] = (float) cell.at(r, c);
                }
            }
            return Map.of(inputName, Tensor.fp32(data, n, k));
        }
        double[] data = new double[n * k];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < k; c++) {
                data[r * k + c] = cell.at(r, c);
            }
        }
        return Map.of(inputName, Tensor.fp64(data, n, k));
    }

    private static double[] column(String feature, Object column) {
        return switch (column) {
            case double[] a -> a;
            case float[] a -> {
                double[] out = new double[a.length];
                for (int i = 0; i < a.length; i++) {
                    out[i] = a[i];
                }
                yield out;
            }
            case long[] a -> {
                double[] out = new double[a.length];
                for (int i = 0; i < a.length; i++) {
                    out[i] = a[i];
                }
                yield out;
            }
            case int[] a -> {
                double[] out = new double[a.length];
                for (int i = 0; i < a.length; i++) {
                    out[i] = a[i];
                }
                yield out;
            }
            case boolean[] a -> {
                double[] out = new double[a.length];
                for (int i = 0; i < a.length; i++) {
                    out[i] = a[i] ? 1 : 0;
                }
                yield out;
            }
            case List<?> list -> {
                double[] out = new double[list.size()];
                for (int i = 0; i < out.length; i++) {
                    Object value = list.get(i);
                    if (value == null) {
                        throw new IllegalArgumentException("row " + i + ": feature '" + feature + "' is missing");
                    }
                    out[i] = number(feature, i, value);
                }
                yield out;
            }
            default -> throw new IllegalArgumentException("feature '" + feature
                    + "' must be a column of numbers (double[], long[], ..., or a List), got a "
                    + column.getClass().getSimpleName());
        };
    }

    private static double number(String feature, int row, Object value) {
        return switch (value) {
            case Number number -> number.doubleValue();
            case Boolean bool -> bool ? 1 : 0;
            default -> throw new IllegalArgumentException("row " + row + ": feature '" + feature
                    + "' must be a number or a boolean, got a " + value.getClass().getSimpleName() + " (" + value + ")");
        };
    }
}
