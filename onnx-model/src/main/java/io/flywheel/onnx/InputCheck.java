package io.flywheel.onnx;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks a run's inputs against the graph before anything reaches ONNX Runtime, whose own messages
 * name neither what was expected nor, often, the input; converts a datatype where nothing is lost
 * that matters.
 */
final class InputCheck {

    /** Integers up to 2^24 are exact in a float, up to 2^53 in a double. */
    private static final long FLOAT_EXACT = 1L << 24;
    private static final long DOUBLE_EXACT = 1L << 53;

    private InputCheck() {
    }

    static Map<String, Tensor> check(OnnxGraph graph, Map<String, Tensor> inputs) {
        if (inputs == null) {
            throw new IllegalArgumentException("no inputs; the model's inputs are " + names(graph));
        }
        for (String name : inputs.keySet()) {
            if (graph.input(name).isEmpty()) {
                throw new IllegalArgumentException("unknown input '" + name + "'; the model's inputs are " + names(graph));
            }
        }
        Map<String, Tensor> checked = new LinkedHashMap<>();
        for (ValueSpec spec : graph.inputs()) {
            Tensor tensor = inputs.get(spec.name());
            if (tensor == null) {
                throw new IllegalArgumentException("input '" + spec.name() + "' (" + spec.description()
                        + ") is missing; the model's inputs are " + names(graph));
            }
            tensor = convert(spec, tensor);
            checkShape(spec, tensor);
            checked.put(spec.name(), tensor);
        }
        return checked;
    }

    private static String names(OnnxGraph graph) {
        return graph.inputs().stream().map(spec -> "'" + spec.name() + "' (" + spec.description() + ")")
                .collect(Collectors.joining(", "));
    }

    private static void checkShape(ValueSpec spec, Tensor tensor) {
        List<Long> declared = spec.shape();
        if (declared == null) {
            return;
        }
        long[] shape = tensor.shape();
        if (shape.length != declared.size()) {
            throw new IllegalArgumentException("input '" + spec.name() + "' expects " + declared.size() + " axes ("
                    + spec.description() + "), got shape " + Arrays.toString(shape));
        }
        // axis 0 is most often the batch and symbolic; where the model fixes it, ONNX Runtime refuses any other
        for (int axis = 0; axis < shape.length; axis++) {
            long expected = declared.get(axis);
            if (expected >= 0 && shape[axis] != expected) {
                throw new IllegalArgumentException("input '" + spec.name() + "' expects " + expected + " along axis "
                        + axis + (axis == 0 ? " (the model fixes its batch size)" : "") + " (" + spec.description()
                        + "), got shape " + Arrays.toString(shape));
            }
        }
    }

    private static Tensor convert(ValueSpec spec, Tensor tensor) {
        String target = spec.v2Datatype();
        String from = tensor.datatype();
        if (target == null) {
            throw new IllegalArgumentException("input '" + spec.name() + "' is a " + spec.description()
                    + ", which no tensor can feed");
        }
        if (from.equals(target)) {
            return tensor;
        }
        long[] shape = tensor.shape();
        int n = tensor.size();
        switch (target) {
            case Tensor.FP32 -> {
                if (from.equals(Tensor.FP64)) {
                    // rounds to the nearest float, as numpy's astype(float32) does before a framework predicts
                    double[] in = tensor.doubles();
                    float[] out = new float[n];
                    for (int i = 0; i < n; i++) {
                        out[i] = (float) in[i];
                    }
                    return Tensor.fp32(out, shape);
                }
                if (from.equals(Tensor.INT64) || from.equals(Tensor.INT32)) {
                    float[] out = new float[n];
                    for (int i = 0; i < n; i++) {
                        long v = (long) tensor.value(i);
                        if (Math.abs(v) > FLOAT_EXACT) {
                            throw inexact(spec, tensor, i, "is beyond 2^24, so not exact as FP32");
                        }
                        out[i] = v;
                    }
                    return Tensor.fp32(out, shape);
                }
            }
            case Tensor.FP64 -> {
                if (from.equals(Tensor.FP32) || from.equals(Tensor.INT32)) {
                    return Tensor.fp64(tensor.toDoubles(), shape);
                }
                if (from.equals(Tensor.INT64)) {
                    long[] in = tensor.longs();
                    double[] out = new double[n];
                    for (int i = 0; i < n; i++) {
                        if (Math.abs(in[i]) > DOUBLE_EXACT) {
                            throw inexact(spec, tensor, i, "is beyond 2^53, so not exact as FP64");
                        }
                        out[i] = in[i];
                    }
                    return Tensor.fp64(out, shape);
                }
            }
            case Tensor.INT64 -> {
                if (from.equals(Tensor.INT32)) {
                    long[] out = new long[n];
                    for (int i = 0; i < n; i++) {
                        out[i] = tensor.ints()[i];
                    }
                    return Tensor.int64(out, shape);
                }
                if (from.equals(Tensor.FP32) || from.equals(Tensor.FP64)) {
                    long[] out = new long[n];
                    for (int i = 0; i < n; i++) {
                        out[i] = whole(spec, tensor, i, Long.MIN_VALUE, Long.MAX_VALUE);
                    }
                    return Tensor.int64(out, shape);
                }
            }
            case Tensor.INT32 -> {
                if (from.equals(Tensor.INT64) || from.equals(Tensor.FP32) || from.equals(Tensor.FP64)) {
                    int[] out = new int[n];
                    for (int i = 0; i < n; i++) {
                        out[i] = (int) (from.equals(Tensor.INT64)
                                ? inRange(spec, tensor, i, tensor.longs()[i])
                                : whole(spec, tensor, i, Integer.MIN_VALUE, Integer.MAX_VALUE));
                    }
                    return Tensor.int32(out, shape);
                }
            }
            default -> {
                // BOOL and BYTES take only themselves
            }
        }
        throw new IllegalArgumentException("input '" + spec.name() + "' expects " + target + " (" + spec.description()
                + "), got " + from + (convertible(target).isEmpty() ? "" : "; " + convertible(target) + " also convert"));
    }

    private static String convertible(String target) {
        return switch (target) {
            case Tensor.FP32 -> "FP64, INT64 and INT32";
            case Tensor.FP64 -> "FP32, INT64 and INT32";
            case Tensor.INT64 -> "INT32 and whole FP32 or FP64 values";
            case Tensor.INT32 -> "INT64 and whole FP32 or FP64 values within INT32's range";
            default -> "";
        };
    }

    private static long whole(ValueSpec spec, Tensor tensor, int i, long min, long max) {
        double v = tensor.value(i);
        if (v != Math.rint(v) || Double.isInfinite(v)) {
            throw inexact(spec, tensor, i, "is not a whole number");
        }
        // 2^63 itself is the first double beyond long's range
        if (v < min || v >= -(double) Long.MIN_VALUE || v > max) {
            throw inexact(spec, tensor, i, "is outside " + spec.v2Datatype() + "'s range");
        }
        return (long) v;
    }

    private static long inRange(ValueSpec spec, Tensor tensor, int i, long v) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw inexact(spec, tensor, i, "is outside INT32's range");
        }
        return v;
    }

    private static IllegalArgumentException inexact(ValueSpec spec, Tensor tensor, int i, String why) {
        return new IllegalArgumentException("input '" + spec.name() + "' expects " + spec.v2Datatype() + " ("
                + spec.description() + "); got " + tensor.datatype() + " whose element " + i + " ("
                + tensor.string(i) + ") " + why);
    }
}
