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
 * there and peaks at an edge); the p-value is computed at L with scipy's 'auto' rules (with one
 * closed-form shortcut for very large windows, {@link #pValue}).
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
        return new BinnedKsResult(lower, upper, lower, pValue(lower, n1, n2), n1, n2);
    }

    /** Effective sample size from which the p-value of a large window uses the closed form (see {@link #pValue}). */
    static final double CLOSED_FORM_EN = 50_000;

    /**
     * The two-sided p-value at D with scipy's 'auto' rules, except one shortcut: in the asymptotic
     * branch with en = n1·n2/(n1+n2) &gt;= 50,000 and en·D² &gt;= 2.2 (where scipy takes
     * 2·smirnov(en, D), an O(en) sum: ~5 ms at en = 10^5), it uses scipy's own closed form for that
     * sum at large n, 2·exp(-(6·en·D + 1)² / (18·en)). Its relative error there is below 1e-4 for
     * p &gt;= 1e-3 and below 3e-3 down to p = 1e-21 (absolute error below 1e-7 everywhere), far inside
     * the uncertainty of D from bins; it keeps evaluating a window O(B) however many events it holds.
     */
    static double pValue(double d, long n1, long n2) {
        if (Math.max(n1, n2) > KolmogorovSmirnov.MAX_EXACT_N) {
            double m = Math.max((double) n1, (double) n2);
            double n = Math.min((double) n1, (double) n2);
            double en = Math.rint(m * n / (m + n));
            if (en >= CLOSED_FORM_EN && en * d * d >= 2.2) {
                double logp = -Math.pow(6.0 * en * d + 1, 2) / 18.0 / en;
                return Math.min(1.0, Math.max(0.0, 2 * Math.exp(logp)));
            }
        }
        return KolmogorovSmirnov.significance(d, n1, n2).pValue();
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
