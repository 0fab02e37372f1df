package io.flywheel.linear;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The model artifact, format {@value #FORMAT}: what the trainer writes and the serving runtime
 * loads. README.md in this module documents the JSON with a full example; {@link #toJson()} and
 * {@link #fromJson(String)} are its only (de)serialisation.
 *
 * <p>An instance is always valid: the constructors check every rule and throw
 * IllegalArgumentException with a message that names the field.
 *
 * @param format       always {@value #FORMAT}
 * @param task         binary classification (logistic) or regression (linear)
 * @param features     the inputs, in coefficient order
 * @param intercept    the intercept, on the standardised scale
 * @param coefficients one per number/integer/boolean feature, one per category of a string
 *                     feature, in feature order; on the standardised scale
 * @param target       the predicted column, with the labels for classification
 * @param threshold    classification only: the label is positive when probability &ge; threshold
 * @param l2           the L2 penalty it was trained with (informational), may be null
 * @param trainedAt    when it was trained, may be null
 * @param training     provenance of the fit, may be null
 */
public record ModelArtifact(
        String format,
        Task task,
        List<Feature> features,
        double intercept,
        List<Double> coefficients,
        Target target,
        Double threshold,
        Double l2,
        Instant trainedAt,
        Training training) {

    /** The format id this module writes and reads. */
    public static final String FORMAT = "flywheel-linear/v1";

    public ModelArtifact {
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("unsupported artifact format " + Values.render(format)
                    + " (this reader understands " + FORMAT + ")");
        }
        require(task != null, "task is required");
        require(features != null && !features.isEmpty(), "features must not be empty");
        features = List.copyOf(features);
        Set<String> names = new HashSet<>();
        int width = 0;
        for (Feature feature : features) {
            require(names.add(feature.name()), "feature '" + feature.name() + "' appears twice");
            width += feature.width();
        }
        require(Double.isFinite(intercept), "intercept must be a finite number");
        require(coefficients != null, "coefficients are required");
        coefficients = List.copyOf(coefficients);
        for (int i = 0; i < coefficients.size(); i++) {
            require(Double.isFinite(coefficients.get(i)), "coefficients[" + i + "] must be a finite number");
        }
        require(coefficients.size() == width, "coefficients has " + coefficients.size()
                + " values, the features need " + width
                + " (one per number, integer or boolean feature, one per category of a string feature)");
        require(target != null, "target is required");
        require(!names.contains(target.name()), "target '" + target.name() + "' is also a feature");
        if (task == Task.BINARY_CLASSIFICATION) {
            require(target.positiveLabel() != null && target.negativeLabel() != null,
                    "target.positive_label and target.negative_label are required for binary-classification");
            require(threshold != null, "threshold is required for binary-classification");
            require(threshold >= 0 && threshold <= 1, "threshold must be between 0 and 1, got " + threshold);
        } else {
            require(target.positiveLabel() == null && target.negativeLabel() == null,
                    "target labels apply to binary-classification only");
            require(threshold == null, "threshold applies to binary-classification only");
        }
        require(l2 == null || (Double.isFinite(l2) && l2 >= 0), "l2 must be a finite number >= 0");
    }

    /** The artifact as pretty-printed JSON, fields in the documented order. */
    public String toJson() {
        return ArtifactJson.write(this);
    }

    /** Parses and validates an artifact; IllegalArgumentException says what is wrong and where. */
    public static ModelArtifact fromJson(String json) {
        return ArtifactJson.read(json);
    }

    /** The feature names in coefficient order. */
    public List<String> featureNames() {
        List<String> out = new ArrayList<>(features.size());
        for (Feature feature : features) {
            out.add(feature.name());
        }
        return List.copyOf(out);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * One input. Number, integer and boolean features carry the training mean and population std
     * (a boolean counted as 0/1); a std of 0 marks a column that was constant in training, which
     * contributes nothing. String features carry their categories instead, one coefficient each;
     * a category not in the list contributes nothing.
     */
    public record Feature(String name, FeatureType type, Double mean, Double std, List<String> categories) {

        public Feature {
            require(name != null && !name.isBlank(), "every feature needs a non-blank name");
            require(type != null, "feature '" + name + "': type is required");
            if (type == FeatureType.STRING) {
                require(mean == null && std == null,
                        "feature '" + name + "': a string feature has categories, not mean and std");
                require(categories != null && !categories.isEmpty(),
                        "feature '" + name + "': a string feature needs at least one category");
                categories = List.copyOf(categories);
                require(new HashSet<>(categories).size() == categories.size(),
                        "feature '" + name + "': categories must be distinct");
            } else {
                require(categories == null,
                        "feature '" + name + "': only string features have categories");
                require(mean != null && Double.isFinite(mean),
                        "feature '" + name + "': mean must be a finite number");
                require(std != null && Double.isFinite(std) && std >= 0,
                        "feature '" + name + "': std must be a finite number >= 0");
            }
        }

        /** A number, integer or boolean feature. */
        public static Feature scaled(String name, FeatureType type, double mean, double std) {
            return new Feature(name, type, mean, std, null);
        }

        /** A one-hot string feature. */
        public static Feature categorical(String name, List<String> categories) {
            return new Feature(name, FeatureType.STRING, null, null, categories);
        }

        /** How many coefficients this feature has. */
        public int width() {
            return type == FeatureType.STRING ? categories.size() : 1;
        }
    }

    /**
     * The predicted column. For classification, the two labels as they appear in the data
     * (Boolean, Long, Double or String); the model's probability is that of the positive label.
     */
    public record Target(String name, Object positiveLabel, Object negativeLabel) {

        public Target {
            require(name != null && !name.isBlank(), "target.name is required");
            positiveLabel = Values.canonical(positiveLabel, "target.positive_label");
            negativeLabel = Values.canonical(negativeLabel, "target.negative_label");
            require(positiveLabel == null || negativeLabel == null || !Values.same(positiveLabel, negativeLabel),
                    "target.positive_label and target.negative_label must differ");
        }

        /** A regression target. */
        public static Target numeric(String name) {
            return new Target(name, null, null);
        }

        /** Whether a value from the data is the positive label (numbers compare by value). */
        public boolean isPositive(Object value) {
            return Values.same(positiveLabel, value);
        }

        /** Whether a value from the data is the negative label (numbers compare by value). */
        public boolean isNegative(Object value) {
            return Values.same(negativeLabel, value);
        }
    }

    /**
     * Provenance of a trained artifact.
     *
     * @param rows            rows the model was fitted on
     * @param holdoutRows     rows held out (not fitted on)
     * @param holdoutFraction the fraction asked for
     * @param seed            the split's seed
     * @param datasetUri      the dataset read, may be null
     * @param iterations      solver iterations (1 for the direct linear solve)
     * @param converged       whether the solver met its tolerance
     * @param objective       the minimised objective at the solution
     */
    public record Training(int rows, int holdoutRows, double holdoutFraction, long seed, String datasetUri,
                           int iterations, boolean converged, double objective) {

        public Training {
            require(rows >= 0 && holdoutRows >= 0, "training.rows and training.holdout_rows must be >= 0");
            require(holdoutFraction >= 0 && holdoutFraction < 1, "training.holdout_fraction must be in [0, 1)");
        }
    }
}
