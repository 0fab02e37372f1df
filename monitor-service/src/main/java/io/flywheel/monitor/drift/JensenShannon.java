package io.flywheel.monitor.drift;

/**
 * Jensen–Shannon distance (the square root of the divergence) with base-2 logarithms, so it lies
 * in [0, 1]: {@code sqrt((KL(p || m) + KL(q || m)) / 2 / ln 2)} with m = (p + q) / 2, as
 * {@code scipy.spatial.distance.jensenshannon(p, q, base=2)}; inputs are normalised first.
 *
 * <p>{@link #binned} is the drift statistic Flywheel and Evidently use: per-bin proportions are
 * floored at 1e-4 before the distance, as make_golden.py does (numeric: the shared quantile bins;
 * categorical: the union of categories).
 */
public final class JensenShannon {

    private static final double LN2 = Math.log(2);

    private JensenShannon() {
    }

    /** scipy.spatial.distance.jensenshannon(p, q, base=2), p and q normalised to sum to 1. */
    public static double distance(double[] p, double[] q) {
        Checks.requireSameLength(p == null ? 0 : p.length, q == null ? 0 : q.length, "first distribution",
            "second distribution");
        return distanceOfProportions(Proportions.normalised(p, "first distribution"),
            Proportions.normalised(q, "second distribution"));
    }

    /** Drift statistic: JS distance of the 1e-4-floored proportions of two count vectors. */
    public static double binned(long[] reference, long[] current) {
        Checks.requireSameLength(reference == null ? 0 : reference.length, current == null ? 0 : current.length,
            "reference bins", "current bins");
        double[] r = Proportions.floored(Checks.toDoubles(Checks.requireCounts(reference, "reference bins")),
            "reference bins");
        double[] c = Proportions.floored(Checks.toDoubles(Checks.requireCounts(current, "current bins")),
            "current bins");
        return distance(r, c);
    }

    public static double binned(Histogram reference, Histogram current) {
        reference.requireCompatible(current);
        return binned(reference.counts(), current.counts());
    }

    private static double distanceOfProportions(double[] p, double[] q) {
        double left = 0.0;
        double right = 0.0;
        for (int i = 0; i < p.length; i++) {
            double m = (p[i] + q[i]) / 2.0;
            left += relativeEntropy(p[i], m);
            right += relativeEntropy(q[i], m);
        }
        double js = (left + right) / LN2;
        return Math.sqrt(js / 2.0);
    }

    /** scipy.special.rel_entr: x ln(x/y), 0 when x = 0. */
    private static double relativeEntropy(double x, double y) {
        if (x == 0) {
            return 0.0;
        }
        return x * Math.log(x / y);
    }
}
