package io.flywheel.onnx;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A tensor going into or coming out of an {@link OnnxModel}: an Open Inference Protocol v2 datatype,
 * a shape and the elements flat in row-major order, as v2 sends them. The data array is not copied:
 * do not change it after handing it over.
 *
 * @param datatype FP32, FP64, INT64, INT32, BOOL or BYTES
 * @param shape    the extent of each axis; the product is the element count
 * @param data     float[] for FP32, double[] for FP64, long[] for INT64, int[] for INT32, boolean[] for
 *                 BOOL, String[] for BYTES
 * @param labels   what the last axis stands for, when the model says (a ZipMap output's class labels,
 *                 in column order); null otherwise
 */
public record Tensor(String datatype, long[] shape, Object data, List<String> labels) {

    public static final String FP32 = "FP32";
    public static final String FP64 = "FP64";
    public static final String INT64 = "INT64";
    public static final String INT32 = "INT32";
    public static final String BOOL = "BOOL";
    public static final String BYTES = "BYTES";

    public Tensor {
        Objects.requireNonNull(datatype, "datatype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        Class<?> expected = switch (datatype) {
            case FP32 -> float[].class;
            case FP64 -> double[].class;
            case INT64 -> long[].class;
            case INT32 -> int[].class;
            case BOOL -> boolean[].class;
            case BYTES -> String[].class;
            default -> throw new IllegalArgumentException("datatype " + datatype
                    + " is not one of FP32, FP64, INT64, INT32, BOOL, BYTES");
        };
        if (data.getClass() != expected) {
            throw new IllegalArgumentException(datatype + " data must be a " + expected.getSimpleName() + ", got a "
                    + data.getClass().getSimpleName());
        }
        long count = 1;
        for (long extent : shape) {
            if (extent < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a negative extent");
            }
            count = Math.multiplyExact(count, extent);
        }
        int length = java.lang.reflect.Array.getLength(data);
        if (count != length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count
                    + " elements, the data has " + length);
        }
        if (labels != null) {
            labels = List.copyOf(labels);
            if (shape.length == 0 || shape[shape.length - 1] != labels.size()) {
                throw new IllegalArgumentException(labels.size() + " labels for shape " + Arrays.toString(shape));
            }
        }
        shape = shape.clone();
    }

    public static Tensor fp32(float[] data, long... shape) {
        return new Tensor(FP32, shape, data, null);
    }

    public static Tensor fp64(double[] data, long... shape) {
        return new Tensor(FP64, shape, data, null);
    }

    public static Tensor int64(long[] data, long... shape) {
        return new Tensor(INT64, shape, data, null);
    }

    public static Tensor int32(int[] data, long... shape) {
        return new Tensor(INT32, shape, data, null);
    }

    public static Tensor bool(boolean[] data, long... shape) {
        return new Tensor(BOOL, shape, data, null);
    }

    public static Tensor bytes(String[] data, long... shape) {
        return new Tensor(BYTES, shape, data, null);
    }

    /** An FP32 matrix [rows, columns] from rows of equal length. */
    public static Tensor fp32(float[][] rows) {
        int width = width(rows.length, rows.length == 0 ? 0 : rows[0].length);
        float[] flat = new float[rows.length * width];
        for (int r = 0; r < rows.length; r++) {
            checkRow(r, rows[r].length, width);
            System.arraycopy(rows[r], 0, flat, r * width, width);
        }
        return fp32(flat, rows.length, width);
    }

    /** An FP64 matrix [rows, columns] from rows of equal length. */
    public static Tensor fp64(double[][] rows) {
        int width = width(rows.length, rows.length == 0 ? 0 : rows[0].length);
        double[] flat = new double[rows.length * width];
        for (int r = 0; r < rows.length; r++) {
            checkRow(r, rows[r].length, width);
            System.arraycopy(rows[r], 0, flat, r * width, width);
        }
        return fp64(flat, rows.length, width);
    }

    private static int width(int rows, int width) {
        Math.multiplyExact(rows, width);
        return width;
    }

    private static void checkRow(int row, int length, int width) {
        if (length != width) {
            throw new IllegalArgumentException("row " + row + " has " + length + " values, row 0 has " + width);
        }
    }

    /** The same tensor with labels for its last axis. */
    public Tensor withLabels(List<String> labels) {
        return new Tensor(datatype, shape, data, labels);
    }

    /** The shape (a copy). */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** The element count. */
    public int size() {
        return java.lang.reflect.Array.getLength(data);
    }

    /** The extent of the first axis: the batch size of a model's input or output. */
    public long rows() {
        return shape.length == 0 ? 1 : shape[0];
    }

    /**
     * Element {@code i} (row-major) as a double: numbers as they are (INT64 beyond 2^53 rounded), BOOL
     * as 1 or 0.
     *
     * @throws IllegalStateException for BYTES, which holds no numbers
     */
    public double value(int i) {
        return switch (data) {
            case float[] a -> a[i];
            case double[] a -> a[i];
            case long[] a -> a[i];
            case int[] a -> a[i];
            case boolean[] a -> a[i] ? 1 : 0;
            default -> throw new IllegalStateException("a BYTES tensor holds strings, not numbers: use string(i)");
        };
    }

    /** Element [row, column] of a matrix, as {@link #value(int)} reads it. */
    public double value(int row, int column) {
        if (shape.length != 2) {
            throw new IllegalStateException("value(row, column) needs a matrix, this tensor has shape "
                    + Arrays.toString(shape));
        }
        if (column < 0 || column >= shape[1] || row < 0 || row >= shape[0]) {
            throw new IndexOutOfBoundsException("[" + row + ", " + column + "] is outside " + Arrays.toString(shape));
        }
        return value((int) (row * shape[1] + column));
    }

    /** Element {@code i} of a BYTES tensor; any other element as its decimal text. */
    public String string(int i) {
        return data instanceof String[] a ? a[i] : switch (data) {
            case long[] a -> Long.toString(a[i]);
            case int[] a -> Integer.toString(a[i]);
            case boolean[] a -> Boolean.toString(a[i]);
            default -> Double.toString(value(i));
        };
    }

    /** Every element as a double (see {@link #value(int)}). */
    public double[] toDoubles() {
        double[] out = new double[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = value(i);
        }
        return out;
    }

    public float[] floats() {
        return typed(float[].class);
    }

    public double[] doubles() {
        return typed(double[].class);
    }

    public long[] longs() {
        return typed(long[].class);
    }

    public int[] ints() {
        return typed(int[].class);
    }

    public boolean[] booleans() {
        return typed(boolean[].class);
    }

    public String[] strings() {
        return typed(String[].class);
    }

    private <T> T typed(Class<T> type) {
        if (data.getClass() != type) {
            throw new IllegalStateException("a " + datatype + " tensor holds a " + data.getClass().getSimpleName()
                    + ", not a " + type.getSimpleName());
        }
        return type.cast(data);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tensor t && datatype.equals(t.datatype) && Arrays.equals(shape, t.shape)
                && Objects.deepEquals(data, t.data) && Objects.equals(labels, t.labels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(datatype, Arrays.hashCode(shape), Arrays.deepHashCode(new Object[] {data}), labels);
    }

    @Override
    public String toString() {
        int n = size();
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < Math.min(n, 8); i++) {
            values.append(i == 0 ? "" : ", ").append(string(i));
        }
        return "Tensor[" + datatype + " " + Arrays.toString(shape) + " " + values + (n > 8 ? ", ..." : "")
                + (labels == null ? "" : " labels=" + labels) + "]";
    }
}
