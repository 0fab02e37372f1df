package io.flywheel.linear;

import io.flywheel.linear.ModelArtifact.Feature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded, validated {@link ModelArtifact} that predicts.
 *
 * <p>The model computes {@code eta = intercept + Σ coef·(x − mean)/std} over number, integer
 * and boolean (0/1) features, plus the coefficient of the category given for each string
 * feature (an unknown category adds nothing). Regression returns eta; classification returns
 * {@code 1 / (1 + exp(−eta))}, the probability of the positive label.
 *
 * <p>Two ways in, bit-identical in their results: a map from feature name to value
 * ({@link #score(Map)}, {@link #predict(Map)}), and the fast path, a double[] in feature order
 * ({@link #score(double[])}) where a boolean is 0 or 1 and a string feature is its category
 * index ({@link #categoryIndex(int, String)}, −1 for unknown). Neither allocates, except the
 * {@link Prediction} that {@code predict} returns. Both validate every value and throw
 * {@link InvalidInputException} naming the feature. Instances are immutable and thread-safe.
 */
public final class LinearModel {

    private static final int NUMBER = 0;
    private static final int INTEGER = 1;
    private static final int BOOLEAN = 2;
    private static final int STRING = 3;

    private final ModelArtifact artifact;
    private final boolean classification;
    private final double intercept;
    private final double threshold;
    private final String[] names;
    private final int[] kinds;
    private final double[] means;
    /** coefficient / std, or 0 for a feature whose std is 0. */
    private final double[] scales;
    private final double[] coefficients;
    /** Index of each feature's first coefficient. */
    private final int[] offsets;
    private final int[] widths;
    private final List<Map<String, Integer>> categories;
    private final Map<String, Integer> positions;

    private LinearModel(ModelArtifact artifact) {
        this.artifact = artifact;
        this.classification = artifact.task() == Task.BINARY_CLASSIFICATION;
        this.intercept = artifact.intercept();
        this.threshold = classification ? artifact.threshold() : Double.NaN;
        List<Feature> features = artifact.features();
        int n = features.size();
        names = new String[n];
        kinds = new int[n];
        means = new double[n];
        scales = new double[n];
        offsets = new int[n];
        widths = new int[n];
        coefficients = artifact.coefficients().stream().mapToDouble(Double::doubleValue).toArray();
        List<Map<String, Integer>> lookups = new ArrayList<>(n);
        positions = new HashMap<>();
        int offset = 0;
        for (int j = 0; j < n; j++) {
            Feature feature = features.get(j);
            names[j] = feature.name();
            positions.put(feature.name(), j);
            offsets[j] = offset;
            widths[j] = feature.width();
            kinds[j] = switch (feature.type()) {
                case NUMBER -> NUMBER;
                case INTEGER -> INTEGER;
                case BOOLEAN -> BOOLEAN;
                case STRING -> STRING;
            };
            if (feature.type() == FeatureType.STRING) {
                Map<String, Integer> lookup = new HashMap<>();
                for (int c = 0; c < feature.categories().size(); c++) {
                    lookup.put(feature.categories().get(c), c);
                }
                lookups.add(lookup);
            } else {
                means[j] = feature.mean();
                scales[j] = feature.std() > 0 ? coefficients[offset] / feature.std() : 0.0;
                lookups.add(Map.of());
            }
            offset += feature.width();
        }
        categories = List.copyOf(lookups);
    }

    /** The model of a validated artifact. */
    public static LinearModel of(ModelArtifact artifact) {
        if (artifact == null) {
            throw new IllegalArgumentException("artifact is required");
        }
        return new LinearModel(artifact);
    }

    /** Parses, validates and loads an artifact; IllegalArgumentException says what is wrong. */
    public static LinearModel fromJson(String json) {
        return of(ModelArtifact.fromJson(json));
    }

    /** Loads an artifact from UTF-8 bytes (an S3 object, an HTTP body). */
    public static LinearModel read(InputStream in) throws IOException {
        return fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }

    /** Loads an artifact file. */
    public static LinearModel read(Path file) throws IOException {
        return fromJson(Files.readString(file, StandardCharsets.UTF_8));
    }

    public ModelArtifact artifact() {
        return artifact;
    }

    public Task task() {
        return artifact.task();
    }

    public List<Feature> features() {
        return artifact.features();
    }

    /** The artifact as JSON, as {@link ModelArtifact#toJson()}. */
    public String toJson() {
        return artifact.toJson();
    }

    /** How many values the array form takes: one per feature. */
    public int featureCount() {
        return names.length;
    }

    /** The position of a feature in the array form, or −1. */
    public int featureIndex(String name) {
        Integer position = positions.get(name);
        return position == null ? -1 : position;
    }

    /** The array-form value of a string feature's category: its index, or −1 when unknown. */
    public int categoryIndex(int feature, String value) {
        Integer index = categories.get(feature).get(value);
        return index == null ? -1 : index;
    }

    /**
     * The fast path: regression value or positive-class probability of one input given as a
     * double[] in feature order (booleans 0/1, string features as category index, −1 unknown).
     */
    public double score(double[] x) {
        if (x == null || x.length != names.length) {
            throw new InvalidInputException(null, "expected " + names.length + " feature values in the order "
                    + String.join(", ", names) + "; got " + (x == null ? "none" : x.length));
        }
        double eta = intercept;
        for (int j = 0; j < names.length; j++) {
            eta += term(j, x[j]);
        }
        return link(eta);
    }

    /**
     * Regression value or positive-class probability of one input given by feature name. Keys
     * that are not features are ignored. Values: a Number for number and integer features (an
     * integer's must be whole), a Boolean for boolean features, a String for string features.
     */
    public double score(Map<String, ?> inputs) {
        if (inputs == null) {
            throw new InvalidInputException(null, "inputs are required");
        }
        double eta = intercept;
        for (int j = 0; j < names.length; j++) {
            eta += term(j, value(j, inputs));
        }
        return link(eta);
    }

    /** The prediction for an input given by feature name; see {@link #score(Map)}. */
    public Prediction predict(Map<String, ?> inputs) {
        return toPrediction(score(inputs));
    }

    /** The prediction for an input in the array form; see {@link #score(double[])}. */
    public Prediction predict(double[] x) {
        return toPrediction(score(x));
    }

    /** Wraps a score from this model as a prediction, with the label for classification. */
    public Prediction toPrediction(double score) {
        if (!classification) {
            return new Prediction.Regression(score);
        }
        boolean positive = score >= threshold;
        return new Prediction.Classification(score, positive ? artifact.target().positiveLabel()
                : artifact.target().negativeLabel(), positive);
    }

    /**
     * Validates an input given by name and writes its array form into {@code into} (length
     * {@link #featureCount()}), e.g. to batch many inputs through {@link #score(double[])}.
     */
    public void encode(Map<String, ?> inputs, double[] into) {
        if (inputs == null) {
            throw new InvalidInputException(null, "inputs are required");
        }
        if (into == null || into.length != names.length) {
            throw new IllegalArgumentException("the array must have " + names.length + " slots");
        }
        for (int j = 0; j < names.length; j++) {
            double v = value(j, inputs);
            term(j, v);
            into[j] = v;
        }
    }

    private double link(double eta) {
        return classification ? 1.0 / (1.0 + StrictMath.exp(-eta)) : eta;
    }

    /** Feature j's contribution to eta, given its array-form value; validates that value. */
    private double term(int j, double v) {
        switch (kinds[j]) {
            case NUMBER -> {
                if (!Double.isFinite(v)) {
                    throw invalid(j, "must be a finite number, got " + v);
                }
                return (v - means[j]) * scales[j];
            }
            case INTEGER -> {
                if (!Double.isFinite(v) || v != Math.rint(v)) {
                    throw invalid(j, "must be an integer, got " + v);
                }
                return (v - means[j]) * scales[j];
            }
            case BOOLEAN -> {
                if (v != 0.0 && v != 1.0) {
                    throw invalid(j, "must be 0 or 1 (false or true), got " + v);
                }
                return (v - means[j]) * scales[j];
            }
            default -> {
                int index = (int) v;
                if (index != v || index < -1 || index >= widths[j]) {
                    throw invalid(j, "must be a category index from -1 (unknown) to " + (widths[j] - 1) + ", got " + v);
                }
                return index < 0 ? 0.0 : coefficients[offsets[j] + index];
            }
        }
    }

    /** Feature j's array-form value read from a map; validates its type. */
    private double value(int j, Map<String, ?> inputs) {
        Object raw = inputs.get(names[j]);
        if (raw == null) {
            throw invalid(j, inputs.containsKey(names[j]) ? "is null" : "is missing");
        }
        switch (kinds[j]) {
            case NUMBER -> {
                if (raw instanceof Number number) {
                    double v = number.doubleValue();
                    if (!Double.isFinite(v)) {
                        throw invalid(j, "must be a finite number, got " + v);
                    }
                    return v;
                }
                throw invalid(j, "must be a number, got " + Values.describe(raw));
            }
            case INTEGER -> {
                if (raw instanceof Number number) {
                    double v = number.doubleValue();
                    if (!Double.isFinite(v) || v != Math.rint(v)) {
                        throw invalid(j, "must be an integer, got " + Values.describe(raw));
                    }
                    return v;
                }
                throw invalid(j, "must be an integer, got " + Values.describe(raw));
            }
            case BOOLEAN -> {
                if (raw instanceof Boolean b) {
                    return b ? 1.0 : 0.0;
                }
                throw invalid(j, "must be a boolean, got " + Values.describe(raw));
            }
            default -> {
                if (raw instanceof String s) {
                    Integer index = categories.get(j).get(s);
                    return index == null ? -1.0 : index;
                }
                throw invalid(j, "must be a string, got " + Values.describe(raw));
            }
        }
    }

    private InvalidInputException invalid(int j, String what) {
        return new InvalidInputException(names[j], "feature '" + names[j] + "' " + what);
    }

    @Override
    public String toString() {
        return "LinearModel[" + artifact.task().id() + ", " + names.length + " features]";
    }
}
