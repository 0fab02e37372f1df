package io.flywheel.monitor.drift;

/**
 * Two-sample KS from histograms: a reference histogram and a window histogram over the same bins
 * (e.g. {@link QuantileBins}). The exact D = sup_x |F(x) - G(x)| (F, G the empirical CDFs) cannot
 * be recovered from counts, but it can be bracketed tightly.
 *
 * <p>Bin i holds [e_i, e_{i+1}) and the counts give the CDFs just left of every edge:
 * a_i = F(e_i-) and c_i = G(e_i-), the share of values below e_i. Let D_i = a_i - c_i,
 * p_i = r_i/n1 and q_i = w_i/n2 the masses of bin i (so D_{i+1} = D_i + p_i - q_i).
 * <ul>
 *   <li>Lower bound: L = max_i |D_i|. F - G is a step function and its value just left of e_i is
 *       its value at the last sample point below e_i (or 0), so each |D_i| is attained: D &gt;= L.
 *   <li>Upper bound: inside bin i, F rises from a_i to at most a_{i+1} and G from c_i, so
 *       F - G &lt;= a_{i+1} - c_i = D_i + p_i, and likewise G - F &lt;= c_{i+1} - a_i = q_i - D_i.
 *       Hence D &lt;= U = max_i max(D_i + p_i, q_i - D_i), which is at most L + max_i max(p_i, q_i).
 * </ul>
 * Both bounds are attained by some pair of samples with exactly these histograms (U: place the
 * reference values of the arg-max bin before the window's, or after; L: put all values of each
 * bin on one point), so no narrower bracket is valid. The point {@link BinnedKsResult#estimate()}
 * is L, which is D when both CDFs are taken as linear inside each bin (then F - G is linear
 * there and peaks at an edge); the p-value is computed at L with scipy's 'auto' rules.
 *
 * <p>The bounds are computed in exact integer arithmetic (units of 1/lcm(n1, n2)) and rounded
 * once, the same rounding {@link KolmogorovSmirnov} applies to the exact-method statistic; if the
 * integers would overflow, doubles are used and the bracket is widened by one ulp each side.
 */
public final class BinnedKs {

    private static final long EXACT_DOUBLE_LIMIT = 1L << 53;

    private BinnedKs() {
    }

    public static BinnedKsResult compare(Histogram reference, Histogram window) {
        reference.requireCompatible(window);
        return compare(reference.counts(), window.counts());
    }

    public static BinnedKsResult compare(long[] reference, long[] window) {
        Checks.requireCounts(reference, "reference histogram");
        Checks.requireCounts(window, "window histogram");
        Checks.requireSameLength(reference.length, window.length, "reference histogram", "window histogram");
        long n1 = total(reference, "reference histogram");
        long n2 = total(window, "window histogram");

        double lower;
        double upper;
        long g = gcd(n1, n2);
        long n1g = n1 / g;
        long n2g = n2 / g;
        long lcm = multiplyOrNegative(n1g, n2);
        if (lcm > 0 && lcm < EXACT_DOUBLE_LIMIT) {
            // D_i * lcm = a_i*n2g - c_i*n1g with a_i, c_i counts below edge i; all terms <= lcm
            long below1 = 0;
            long below2 = 0;
            long maxAbs = 0;
            long maxUpper = 0;
            for (int i = 0; i < reference.length; i++) {
                long di = below1 * n2g - below2 * n1g;
                long next1 = below1 + reference[i];
                long next2 = below2 + window[i];
                maxAbs = Math.max(maxAbs, Math.abs(di));
                maxUpper = Math.max(maxUpper, Math.max(next1 * n2g - below2 * n1g, next2 * n1g - below1 * n2g));
                below1 = next1;
                below2 = next2;
            }
            lower = maxAbs * 1.0 / lcm;
            upper = maxUpper * 1.0 / lcm;
        } else {
            double below1 = 0;
            double below2 = 0;
            double maxAbs = 0;
            double maxUpper = 0;
            for (int i = 0; i < reference.length; i++) {
                double next1 = below1 + reference[i];
                double next2 = below2 + window[i];
                maxAbs = Math.max(maxAbs, Math.abs(below1 / n1 - below2 / n2));
                maxUpper = Math.max(maxUpper, Math.max(next1 / n1 - below2 / n2, next2 / n2 - below1 / n1));
                below1 = next1;
                below2 = next2;
            }
            lower = Math.max(0.0, Math.nextDown(maxAbs));
            upper = Math.min(1.0, Math.nextUp(maxUpper));
        }
        double p = KolmogorovSmirnov.significance(lower, n1, n2).pValue();
        return new BinnedKsResult(lower, upper, lower, p, n1, n2);
    }

    private static long total(long[] counts, String what) {
        long t = 0;
        for (long c : counts) {
            t = Math.addExact(t, c);
        }
        if (t == 0) {
            throw new IllegalArgumentException(what + " is empty: it has no events");
        }
        return t;
    }

    private static long multiplyOrNegative(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return (hi == 0 && lo >= 0) ? lo : -1;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
