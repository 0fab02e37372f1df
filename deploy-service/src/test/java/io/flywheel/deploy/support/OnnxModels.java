package io.flywheel.deploy.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ONNX models of the tests and the benchmark (copied from onnx-model/src/test/resources/onnx, made
 * by onnx-model/scripts/make_models.py), with registry signatures that name their features.
 */
public final class OnnxModels {

    private OnnxModels() {
    }

    /** The bytes of {@code onnx/<name>.onnx} on the test class path. */
    public static byte[] bytes(String name) {
        try (InputStream in = OnnxModels.class.getResourceAsStream("/onnx/" + name + ".onnx")) {
            if (in == null) {
                throw new IllegalArgumentException("no test model onnx/" + name + ".onnx");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A signature of {@code n} number features x0..x(n-1) (the bench models' and the logistic artifact's) and an output. */
    public static Map<String, Object> signature(int n, String output) {
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            inputs.add(Map.of("name", "x" + i, "type", "number"));
        }
        Map<String, Object> signature = new LinkedHashMap<>();
        signature.put("inputs", inputs);
        signature.put("output", Map.of("name", output, "type", "number"));
        return signature;
    }

    /** One row of {@code n} features x0..x(n-1), v2 tabular form: one input per feature. */
    public static List<Map<String, Object>> tabularInputs(double... row) {
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (int i = 0; i < row.length; i++) {
            inputs.add(Map.of("name", "x" + i, "shape", List.of(1), "datatype", "FP64", "data", List.of(row[i])));
        }
        return inputs;
    }
}
