package io.flywheel.deploy.support;

import io.flywheel.linear.FeatureType;
import io.flywheel.linear.ModelArtifact;
import io.flywheel.linear.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** flywheel-linear/v1 artifacts for tests and the benchmark, with the matching registry signatures. */
public final class Artifacts {

    private Artifacts() {
    }

    /** A churn model: age (integer), income (number), member (boolean), plan (string). */
    public static String churn(double intercept) {
        return new ModelArtifact(ModelArtifact.FORMAT, Task.BINARY_CLASSIFICATION,
                List.of(ModelArtifact.Feature.scaled("age", FeatureType.INTEGER, 45, 15),
                        ModelArtifact.Feature.scaled("income", FeatureType.NUMBER, 50_000, 15_000),
                        ModelArtifact.Feature.scaled("member", FeatureType.BOOLEAN, 0.4, 0.49),
                        ModelArtifact.Feature.categorical("plan", List.of("basic", "plus", "pro"))),
                intercept, List.of(0.6, -0.3, 0.25, 0.1, -0.2, 0.4),
                new ModelArtifact.Target("churned", "yes", "no"), 0.5, 1.0, null, null).toJson();
    }

    /** The registry signature of {@link #churn}. */
    public static Map<String, Object> churnSignature() {
        return Map.of("inputs", List.of(
                        Map.of("name", "age", "type", "integer"),
                        Map.of("name", "income", "type", "number"),
                        Map.of("name", "member", "type", "boolean"),
                        Map.of("name", "plan", "type", "string")),
                "output", Map.of("name", "churned", "type", "number"));
    }

    /** One valid churn input, v2-style. */
    public static List<Map<String, Object>> churnInputs(int age, double income, boolean member, String plan) {
        return List.of(
                Map.of("name", "age", "shape", List.of(1), "datatype", "INT64", "data", List.of(age)),
                Map.of("name", "income", "shape", List.of(1), "datatype", "FP64", "data", List.of(income)),
                Map.of("name", "member", "shape", List.of(1), "datatype", "BOOL", "data", List.of(member)),
                Map.of("name", "plan", "shape", List.of(1), "datatype", "BYTES", "data", List.of(plan)));
    }

    /** A logistic model of {@code n} number features x0..x(n-1). */
    public static String logistic(int n) {
        List<ModelArtifact.Feature> features = new ArrayList<>();
        List<Double> coefficients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            features.add(ModelArtifact.Feature.scaled("x" + i, FeatureType.NUMBER, 0.0, 1.0));
            coefficients.add((i % 2 == 0 ? 1 : -1) * (0.05 + 0.01 * i));
        }
        return new ModelArtifact(ModelArtifact.FORMAT, Task.BINARY_CLASSIFICATION, features, -0.1, coefficients,
                new ModelArtifact.Target("y", true, false), 0.5, 1.0, null, null).toJson();
    }

    public static Map<String, Object> logisticSignature(int n) {
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            inputs.add(Map.of("name", "x" + i, "type", "number"));
        }
        return Map.of("inputs", inputs, "output", Map.of("name", "y", "type", "number"));
    }
}
