package io.flywheel.monitor.window;

import java.util.List;

/**
 * The reference of one model version: every monitored input feature and, when the training data
 * has the model's output, the prediction (compared like a feature, under {@link #PREDICTION}).
 *
 * @param source where it came from: "registry:&lt;dataset&gt;@&lt;id&gt;" or "upload"
 */
public record ReferenceProfile(String model, int version, int bins, List<FeatureReference> features,
                               FeatureReference prediction, long rows, long fittedAtMillis, String source) {

    /** The name the prediction goes by among the features of a window. */
    public static final String PREDICTION = "__prediction__";

    public ReferenceProfile {
        features = List.copyOf(features);
        if (features.isEmpty() && prediction == null) {
            throw new IllegalArgumentException("a reference needs at least one feature");
        }
    }
}
