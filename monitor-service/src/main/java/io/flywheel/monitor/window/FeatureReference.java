package io.flywheel.monitor.window;

import io.flywheel.monitor.drift.FeatureKind;

import java.util.List;

/**
 * The fitted reference of one feature, as stored: numeric features keep B - 1 inner bin edges at
 * the reference quantiles and the reference's counts in those B bins; categorical features keep
 * the dictionary of reference categories and their counts plus an empty "other" bin. Plain data:
 * {@link Binner} is the compiled form that assigns values to bins.
 *
 * @param distinct distinct reference values, counted up to 6 (enough for Evidently's test choice)
 * @param mean     numeric only (NaN otherwise), as {@code std}, {@code min}, {@code max}
 */
public record FeatureReference(String name, FeatureKind kind, double[] innerEdges, List<String> categories,
                               long[] counts, long rows, long distinct, double mean, double std, double min,
                               double max) {

    public FeatureReference {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("feature name must not be blank");
        }
        if (kind == null) {
            throw new IllegalArgumentException("feature '" + name + "' has no kind");
        }
        if (kind == FeatureKind.NUMERIC && (innerEdges == null || counts == null || counts.length != innerEdges.length + 1)) {
            throw new IllegalArgumentException("numeric feature '" + name + "' needs B - 1 edges and B counts");
        }
        if (kind == FeatureKind.CATEGORICAL && (categories == null || counts == null
                || counts.length != categories.size() + 1)) {
            throw new IllegalArgumentException("categorical feature '" + name + "' needs K categories and K + 1 counts");
        }
        categories = categories == null ? null : List.copyOf(categories);
    }

    public int bins() {
        return counts.length;
    }
}
