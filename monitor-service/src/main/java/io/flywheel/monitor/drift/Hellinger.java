package io.flywheel.monitor.drift;

/**
 * Hellinger distance between two discrete distributions over the same bins:
 *
 * <pre>
 *   H(p, q) = sqrt( (1/2) * sum_i (sqrt(p_i) - sqrt(q_i))^2 ) = sqrt( 1 - sum_i sqrt(p_i q_i) )
 * </pre>
 *
 * with p and q normalised to sum to 1 (no flooring), so H lies in [0, 1]. This is the form
 * Evidently's {@code hellinger} stattest computes (sum of squared root differences divided by
 * sqrt 2), default threshold 0.1, drift when H &gt;= threshold. The two forms are equal for
 * normalised vectors; the squared-difference form is used because 1 - sum sqrt(pq) loses all
 * precision when the distributions are close. Unlike Evidently's categorical variant, which sums
 * over reference categories only, every bin is included (e.g. the "other" bucket of unseen
 * categories), so new categories raise the distance.
 */
public final class Hellinger {

    private Hellinger() {
    }

    public static double distance(double[] p, double[] q) {
        Checks.requireSameLength(p == null ? 0 : p.length, q == null ? 0 : q.length, "first distribution",
            "second distribution");
        double[] pn = Proportions.normalised(p, "first distribution");
        double[] qn = Proportions.normalised(q, "second distribution");
        double sum = 0.0;
        for (int i = 0; i < pn.length; i++) {
            double d = Math.sqrt(pn[i]) - Math.sqrt(qn[i]);
            sum += d * d;
        }
        return Math.min(Math.sqrt(sum / 2.0), 1.0);
    }

    public static double distance(long[] reference, long[] current) {
        return distance(Checks.toDoubles(Checks.requireCounts(reference, "reference bins")),
            Checks.toDoubles(Checks.requireCounts(current, "current bins")));
    }

    public static double distance(Histogram reference, Histogram current) {
        reference.requireCompatible(current);
        return distance(reference.counts(), current.counts());
    }
}
