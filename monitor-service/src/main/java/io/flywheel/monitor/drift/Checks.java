package io.flywheel.monitor.drift;

/** Argument checks shared by the statistics; messages name the offending argument and index. */
final class Checks {

    private Checks() {
    }

    static void requireNonEmpty(double[] values, String what) {
        if (values == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        if (values.length == 0) {
            throw new IllegalArgumentException(what + " is empty: at least one value is needed");
        }
    }

    static void requireNoNaN(double[] values, String what) {
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i])) {
                throw new IllegalArgumentException(what + " contains NaN at index " + i);
            }
        }
    }

    static void requireFinite(double[] values, String what) {
        requireNonEmpty(values, what);
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException(what + " contains NaN at index " + i);
            }
            if (Double.isInfinite(v)) {
                throw new IllegalArgumentException(what + " contains " + v + " at index " + i
                    + ": only finite values are allowed");
            }
        }
    }

    /** Non-negative finite weights (counts or proportions) with a positive total. */
    static double requireWeights(double[] weights, String what) {
        if (weights == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        if (weights.length == 0) {
            throw new IllegalArgumentException(what + " is empty: at least one bin is needed");
        }
        double total = 0.0;
        for (int i = 0; i < weights.length; i++) {
            double w = weights[i];
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException(what + " has an invalid weight " + w + " at index " + i
                    + ": weights must be finite and non-negative");
            }
            total += w;
        }
        if (total <= 0) {
            throw new IllegalArgumentException(what + " sums to 0: at least one bin must be positive");
        }
        return total;
    }

    static void requireSameLength(int a, int b, String whatA, String whatB) {
        if (a != b) {
            throw new IllegalArgumentException(whatA + " has " + a + " bins but " + whatB + " has " + b
                + ": both must use the same bins");
        }
    }

    static void requireProbability(double p, String what) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1], was " + p);
        }
    }

    static long[] requireCounts(long[] counts, String what) {
        if (counts == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        if (counts.length == 0) {
            throw new IllegalArgumentException(what + " is empty: at least one bin is needed");
        }
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0) {
                throw new IllegalArgumentException(what + " has a negative count " + counts[i] + " at bin " + i);
            }
        }
        return counts;
    }

    static double[] toDoubles(long[] counts) {
        double[] d = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            d[i] = counts[i];
        }
        return d;
    }
}
