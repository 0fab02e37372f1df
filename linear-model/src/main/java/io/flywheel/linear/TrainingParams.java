package io.flywheel.linear;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The trainer's parameters, and their JSON form (the {@code --params} of {@link TrainerMain}).
 *
 * @param task            binary-classification (logistic) or regression (linear)
 * @param target          the column to predict
 * @param features        the feature columns, in this order; null for every column but the target
 * @param l2              the L2 penalty (not on the intercept); see README.md for the objective
 * @param maxIterations   Newton iterations at most (logistic)
 * @param tolerance       convergence: the largest Newton step on the standardised scale
 * @param threshold       classification: probability at or above which the label is positive
 * @param holdoutFraction share of rows held out for evaluation, in [0, 1)
 * @param seed            the holdout split's seed
 * @param positiveLabel   classification: the positive label; null for the greater of the two
 *                        (true, the larger number, the later string)
 */
public record TrainingParams(Task task, String target, List<String> features, double l2, int maxIterations,
                             double tolerance, double threshold, double holdoutFraction, long seed,
                             Object positiveLabel) {

    public static final double DEFAULT_L2 = 1.0;
    public static final int DEFAULT_MAX_ITERATIONS = 100;
    public static final double DEFAULT_TOLERANCE = 1e-10;
    public static final double DEFAULT_THRESHOLD = 0.5;
    public static final double DEFAULT_HOLDOUT_FRACTION = 0.2;
    public static final long DEFAULT_SEED = 42L;

    private static final Set<String> KEYS = Set.of("task", "target", "features", "l2", "max_iterations",
            "tolerance", "threshold", "holdout_fraction", "seed", "positive_label");

    public TrainingParams {
        check(task != null, "task is required (binary-classification or regression)");
        check(target != null && !target.isBlank(), "target is required (the column to predict)");
        if (features != null) {
            check(!features.isEmpty(), "features must not be empty (omit it for every column but the target)");
            Set<String> seen = new HashSet<>();
            for (String feature : features) {
                check(feature != null && !feature.isBlank(), "features must be column names");
                check(seen.add(feature), "features lists '" + feature + "' twice");
                check(!feature.equals(target), "'" + target + "' is the target; it cannot be a feature too");
            }
            features = List.copyOf(features);
        }
        check(Double.isFinite(l2) && l2 >= 0, "l2 must be a number >= 0, got " + l2);
        check(maxIterations >= 1, "max_iterations must be >= 1, got " + maxIterations);
        check(tolerance > 0 && Double.isFinite(tolerance), "tolerance must be a number > 0, got " + tolerance);
        check(threshold >= 0 && threshold <= 1, "threshold must be between 0 and 1, got " + threshold);
        check(holdoutFraction >= 0 && holdoutFraction < 1,
                "holdout_fraction must be >= 0 and < 1, got " + holdoutFraction);
        positiveLabel = Values.canonical(positiveLabel, "positive_label");
        check(positiveLabel == null || task == Task.BINARY_CLASSIFICATION,
                "positive_label applies to binary-classification only");
    }

    /** The defaults for a task and target: every other column, l2 1, holdout 0.2, seed 42. */
    public static TrainingParams of(Task task, String target) {
        return new TrainingParams(task, target, null, DEFAULT_L2, DEFAULT_MAX_ITERATIONS, DEFAULT_TOLERANCE,
                DEFAULT_THRESHOLD, DEFAULT_HOLDOUT_FRACTION, DEFAULT_SEED, null);
    }

    public TrainingParams withFeatures(List<String> value) {
        return new TrainingParams(task, target, value, l2, maxIterations, tolerance, threshold, holdoutFraction,
                seed, positiveLabel);
    }

    public TrainingParams withL2(double value) {
        return new TrainingParams(task, target, features, value, maxIterations, tolerance, threshold,
                holdoutFraction, seed, positiveLabel);
    }

    public TrainingParams withHoldout(double fraction, long splitSeed) {
        return new TrainingParams(task, target, features, l2, maxIterations, tolerance, threshold, fraction,
                splitSeed, positiveLabel);
    }

    public TrainingParams withThreshold(double value) {
        return new TrainingParams(task, target, features, l2, maxIterations, tolerance, value, holdoutFraction,
                seed, positiveLabel);
    }

    public TrainingParams withSolver(int iterations, double solverTolerance) {
        return new TrainingParams(task, target, features, l2, iterations, solverTolerance, threshold,
                holdoutFraction, seed, positiveLabel);
    }

    public TrainingParams withPositiveLabel(Object value) {
        return new TrainingParams(task, target, features, l2, maxIterations, tolerance, threshold,
                holdoutFraction, seed, value);
    }

    /**
     * Parses the JSON form: {@code task} and {@code target} required; {@code features},
     * {@code l2}, {@code max_iterations}, {@code tolerance}, {@code threshold},
     * {@code holdout_fraction}, {@code seed}, {@code positive_label} optional. Unknown keys are
     * refused (a typo would otherwise train with a default silently).
     */
    public static TrainingParams fromJson(String json) {
        JsonNode root = Json.parse(json, "params");
        if (!root.isObject()) {
            throw new IllegalArgumentException("params must be a JSON object");
        }
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (!KEYS.contains(field.getKey())) {
                throw new IllegalArgumentException("unknown parameter '" + field.getKey() + "' (known: "
                        + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
        }
        String taskId = text(root, "task");
        check(taskId != null, "task is required (binary-classification or regression)");
        Task task = Task.of(taskId);
        List<String> features = null;
        if (root.hasNonNull("features")) {
            JsonNode node = root.get("features");
            check(node.isArray(), "features must be an array of column names");
            features = new ArrayList<>();
            for (JsonNode f : node) {
                check(f.isTextual(), "features must be an array of column names");
                features.add(f.textValue());
            }
        }
        Object positive = null;
        if (root.hasNonNull("positive_label")) {
            positive = Json.scalar(root.get("positive_label"));
            check(positive != null, "positive_label must be a boolean, a number or a string");
        }
        return new TrainingParams(task, text(root, "target"), features,
                number(root, "l2", DEFAULT_L2),
                (int) whole(root, "max_iterations", DEFAULT_MAX_ITERATIONS),
                number(root, "tolerance", DEFAULT_TOLERANCE),
                number(root, "threshold", DEFAULT_THRESHOLD),
                number(root, "holdout_fraction", DEFAULT_HOLDOUT_FRACTION),
                whole(root, "seed", DEFAULT_SEED),
                positive);
    }

    /** The JSON form, every parameter spelled out (what a runner passes to a separate JVM). */
    public String toJson() {
        ObjectNode root = Json.object();
        root.put("task", task.id());
        root.put("target", target);
        if (features != null) {
            ArrayNode array = root.putArray("features");
            features.forEach(array::add);
        }
        root.put("l2", l2);
        root.put("max_iterations", maxIterations);
        root.put("tolerance", tolerance);
        root.put("threshold", threshold);
        root.put("holdout_fraction", holdoutFraction);
        root.put("seed", seed);
        if (positiveLabel != null) {
            Json.putScalar(root, "positive_label", positiveLabel);
        }
        return Json.write(root);
    }

    private static String text(JsonNode root, String key) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        check(node.isTextual(), key + " must be a string");
        return node.textValue();
    }

    private static double number(JsonNode root, String key, double fallback) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return fallback;
        }
        check(node.isNumber(), key + " must be a number");
        return node.doubleValue();
    }

    private static long whole(JsonNode root, String key, long fallback) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return fallback;
        }
        check(node.isIntegralNumber() && node.canConvertToLong(), key + " must be a whole number");
        if (key.equals("max_iterations")) {
            check(node.canConvertToInt(), "max_iterations is too large");
        }
        return node.longValue();
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
