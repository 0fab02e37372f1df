package io.flywheel.retrain.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * scikit-learn's breast cancer rows and models from onnx-model's test files (copied into
 * src/test/resources/onnx/): 114 held-out rows of 30 features with their true class under
 * {@code benign} (1 benign, 0 malignant), and a StandardScaler + LogisticRegression pipeline as
 * ONNX (with and without ZipMap), whose input columns are the features in {@link #features()} order.
 */
public final class BreastCancer {

    public static final String TARGET = "benign";
    private static final ObjectMapper JSON = new ObjectMapper();

    private BreastCancer() {
    }

    public static JsonNode expected() {
        return read("onnx/breast_cancer_logreg.expected.json");
    }

    /** sklearn.metrics on these rows (src/test/python/sklearn_reference_metrics.py). */
    public static JsonNode sklearnMetrics() {
        return read("onnx/breast_cancer_logreg.sklearn-metrics.json");
    }

    public static List<String> features() {
        List<String> names = new ArrayList<>();
        expected().get("feature_names").forEach(n -> names.add(n.asText()));
        return names;
    }

    /** The rows: each feature a Double, the target a Long (0 or 1). */
    public static List<Map<String, Object>> rows() {
        JsonNode expected = expected();
        List<String> features = features();
        JsonNode inputs = expected.get("inputs").get("float_input");
        JsonNode labels = expected.get("true_labels");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int c = 0; c < features.size(); c++) {
                row.put(features.get(c), inputs.get(i).get(c).asDouble());
            }
            row.put(TARGET, labels.get(i).asLong());
            rows.add(row);
        }
        return rows;
    }

    /** breast_cancer_logreg.onnx (ZipMap output) or breast_cancer_logreg_nozipmap.onnx. */
    public static byte[] onnx(boolean zipMap) {
        return bytes("onnx/breast_cancer_logreg" + (zipMap ? "" : "_nozipmap") + ".onnx");
    }

    private static JsonNode read(String resource) {
        try {
            return JSON.readTree(bytes(resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(String resource) {
        try (InputStream in = BreastCancer.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
