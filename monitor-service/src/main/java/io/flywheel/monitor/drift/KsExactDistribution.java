package io.flywheel.monitor.drift;

import java.util.Arrays;

/**
 * Exact two-sided null distribution of the two-sample KS statistic, ported from scipy 1.17.1
 * ({@code _compute_prob_outside_square} in {@code _stats_py.py} and
 * {@code _compute_outer_prob_inside_method} in {@code _stats_pythran.py}). The arithmetic is done
 * in the same order as scipy so the results agree to the last bits.
 */
final class KsExactDistribution {

    private KsExactDistribution() {
    }

    /**
     * Pr(D_{n,n} >= h/n): the proportion of lattice paths that reach the lines x - y = +/-h,
     * evaluated with scipy's Horner-like scheme that avoids subtractive cancellation.
     */
    static double probOutsideSquare(int n, int h) {
        double p = 0.0;
        int k = (int) Math.floor((double) n / h);
        while (k >= 0) {
            double p1 = 1.0;
            for (int j = 0; j < h; j++) {
                p1 = (n - k * h - j) * p1 / (n + k * h + j + 1);
            }
            p = p1 * (1.0 - p);
            k--;
        }
        return 2 * p;
    }

    /**
     * Proportion of lattice paths from (0,0) to (m,n) that do not stay strictly inside
     * |x/m - y/n| < h/lcm(m,n): Hodges' inside method, rewritten by Viehmann to compute 1 - p
     * directly, keeping only a sliding window of one column.
     */
    static double outerProbInside(long m, long n, long g, long h) {
        if (m < n) {
            long t = m;
            m = n;
            n = t;
        }
        long mg = m / g;
        long ng = n / g;
        int minj = 0;
        int maxj = (int) Math.min((long) Math.ceil((double) h / mg), n + 1);
        int curlen = maxj - minj;
        int lenA = (int) Math.min(2L * maxj + 2, n + 1);
        double[] a = new double[lenA];
        Arrays.fill(a, 1.0);
        Arrays.fill(a, minj, Math.min(maxj, lenA), 0.0);
        for (long i = 1; i <= m; i++) {
            int lastminj = minj;
            int lastlen = curlen;
            minj = (int) Math.max((long) Math.floor((double) (ng * i - h) / mg) + 1, 0);
            minj = (int) Math.min(minj, n);
            maxj = (int) Math.min((long) Math.ceil((double) (ng * i + h) / mg), n + 1);
            if (maxj <= minj) {
                return 1.0;
            }
            double val = minj == 0 ? 0.0 : 1.0;
            for (int jj = 0; jj < maxj - minj; jj++) {
                long j = jj + minj;
                val = (a[jj + minj - lastminj] * i + val * j) / (i + j);
                a[jj] = val;
            }
            curlen = maxj - minj;
            if (lastlen > curlen) { // carried-over elements become 1
                int from = maxj - minj;
                Arrays.fill(a, Math.min(from, lenA), Math.min(from + (lastlen - curlen), lenA), 1.0);
            }
        }
        return a[maxj - minj - 1];
    }

    /**
     * scipy's {@code _attempt_exact_2kssamp} for the two-sided alternative: the p-value, or NaN
     * when the computation fails (scipy then falls back to the asymptotic distribution).
     *
     * @param h the statistic in units of 1/lcm(n1, n2), h >= 1
     */
    static double twoSidedPValue(int n1, int n2, int g, long h) {
        double prob;
        if (n1 == n2) {
            prob = probOutsideSquare(n1, (int) h);
        } else {
            prob = outerProbInside(n1, n2, g, h);
        }
        // scipy: "if not (0 <= prob <= 1): return False" -> asymptotic fallback
        return (prob >= 0 && prob <= 1) ? prob : Double.NaN;
    }
}
