package io.flywheel.monitor.window;

import io.flywheel.monitor.drift.CategoryDictionary;
import io.flywheel.monitor.drift.FeatureKind;
import io.flywheel.monitor.drift.QuantileBins;

/**
 * Puts a live value of one feature into its reference bin. A value of the wrong type (a string for
 * a numeric feature, an object or list anywhere) is an {@link IllegalArgumentException} that names
 * the feature; null means "missing" and has no bin ({@link #MISSING}).
 */
public final class Binner {

    public static final int MISSING = -1;

    private final FeatureReference reference;
    private final QuantileBins bins;
    private final CategoryDictionary dictionary;

    private Binner(FeatureReference reference) {
        this.reference = reference;
        if (reference.kind() == FeatureKind.NUMERIC) {
            this.bins = QuantileBins.ofInnerEdges(reference.innerEdges());
            this.dictionary = null;
        } else {
            this.bins = null;
            this.dictionary = CategoryDictionary.fromReference(reference.categories());
        }
    }

    public static Binner of(FeatureReference reference) {
        return new Binner(reference);
    }

    public FeatureReference reference() {
        return reference;
    }

    public int binCount() {
        return reference.bins();
    }

    /** Bin of a numeric value (numeric features only); the hot path of folding. */
    public int binOf(double value) {
        return bins.binOf(value);
    }

    public int binOf(Object value) {
        if (value == null) {
            return MISSING;
        }
        if (bins != null) {
            if (value instanceof Number n) {
                double d = n.doubleValue();
                if (Double.isNaN(d)) {
                    return MISSING;
                }
                return bins.binOf(d);
            }
            throw new IllegalArgumentException("feature '" + reference.name() + "' is numeric, but got "
                    + describe(value));
        }
        if (value instanceof String || value instanceof Boolean || value instanceof Number) {
            return dictionary.indexOf(categoryOf(value));
        }
        throw new IllegalArgumentException("feature '" + reference.name() + "' is categorical, but got "
                + describe(value));
    }

    /** The category string of a scalar: integers without ".0", so 1 and "1" are one category. */
    public static String categoryOf(Object value) {
        if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        if (value instanceof Float f && f == Math.rint(f) && !Float.isInfinite(f)) {
            return Long.toString(f.longValue());
        }
        if (value instanceof java.math.BigDecimal b) {
            return b.stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }

    private static String describe(Object value) {
        String text = String.valueOf(value);
        if (text.length() > 40) {
            text = text.substring(0, 40) + "...";
        }
        String type = value instanceof String ? "a string" : value instanceof Boolean ? "a boolean"
                : value instanceof java.util.Map ? "an object" : value instanceof java.util.List ? "a list"
                : value.getClass().getSimpleName();
        return type + " (" + text + ")";
    }
}
