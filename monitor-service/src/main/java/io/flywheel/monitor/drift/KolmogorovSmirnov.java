package io.flywheel.monitor.drift;

/**
 * Two-sample, two-sided Kolmogorov–Smirnov test, reproducing
 * {@code scipy.stats.ks_2samp(a, b, alternative='two-sided', method='auto')} (scipy 1.17.1).
 *
 * <ul>
 *   <li>D is evaluated at every sample value with the CDFs taken as "count &lt;= value" (scipy's
 *       {@code searchsorted(side='right')}), so tied values, within or across samples, are
 *       handled exactly as scipy does: the CDFs only jump once all copies of a value are passed.
 *   <li>'auto' uses the exact distribution when max(n1, n2) &lt;= 10000 ({@code MAX_AUTO_N}); the
 *       statistic is then reported as h / lcm(n1, n2) with h = round(D * lcm), as scipy does.
 *       If the exact computation fails (a probability outside [0, 1]) it falls back to the
 *       asymptotic distribution, as scipy does after its RuntimeWarning.
 *   <li>Asymptotic: {@code kstwo.sf(D, round(n1*n2/(n1+n2)))} with numpy's round-half-even.
 *       (scipy's two-sided two-sample branch uses kstwo, not kstwobign.) D is then reported as
 *       scipy does, i/n1 - j/n2 in doubles at an extreme point; when the same extreme is reached
 *       at several points scipy keeps the largest of those rounded differences, which can exceed
 *       this one by an ulp.
 * </ul>
 *
 * <p>Cost: O(n log n) for the two sorted copies (radix sort for large samples, see
 * {@link SortedKeys}) and one linear merge pass; {@link #testSorted} skips the sorting.
 * NaN is rejected; infinities are ordinary values, as in scipy.
 */
public final class KolmogorovSmirnov {

    /** scipy's MAX_AUTO_N: 'auto' is exact up to this sample size. */
    public static final int MAX_EXACT_N = 10_000;

    private KolmogorovSmirnov() {
    }

    /** KS test of two unsorted samples; the arrays are not modified. */
    public static KsResult test(double[] reference, double[] current) {
        Checks.requireNonEmpty(reference, "reference sample");
        Checks.requireNonEmpty(current, "current sample");
        // one radix scratch buffer serves both sorts
        int largest = Math.max(reference.length, current.length);
        long[] scratch = largest >= SortedKeys.RADIX_THRESHOLD ? new long[largest + 2] : null;
        long[] a = SortedKeys.sortedKeys(reference, "reference sample", scratch);
        long[] b = SortedKeys.sortedKeys(current, "current sample", scratch);
        return fromExtremes(Extremes.of(a, reference.length, b, current.length), reference.length, current.length);
    }

    /** KS test of two samples already sorted in ascending order (checked in O(n)). */
    public static KsResult testSorted(double[] sortedReference, double[] sortedCurrent) {
        long[] a = SortedKeys.keysOfSorted(sortedReference, "sorted reference sample");
        long[] b = SortedKeys.keysOfSorted(sortedCurrent, "sorted current sample");
        return fromExtremes(Extremes.of(a, a.length - 2, b, b.length - 2), a.length - 2, b.length - 2);
    }

    /**
     * The KS statistic D only (no p-value), for unsorted samples.
     */
    public static double statistic(double[] reference, double[] current) {
        return test(reference, current).statistic();
    }

    /**
     * Two-sided p-value of a given statistic for sample sizes n1 and n2, with scipy's 'auto' rules
     * (exact up to 10,000 per sample, asymptotic above or on failure). In the exact case d is
     * first snapped to the lattice h / lcm(n1, n2), and the returned statistic is that value.
     */
    public static KsResult significance(double d, long n1, long n2) {
        if (n1 < 1 || n2 < 1) {
            throw new IllegalArgumentException("sample sizes must be at least 1, were " + n1 + " and " + n2);
        }
        if (!(d >= 0 && d <= 1)) {
            throw new IllegalArgumentException("KS statistic must be in [0, 1], was " + d);
        }
        if (Math.max(n1, n2) <= MAX_EXACT_N) {
            int g = gcd((int) n1, (int) n2);
            long lcm = (n1 / g) * n2;
            long h = (long) Math.rint(d * lcm);
            return exactOrFallback(h, (int) n1, (int) n2, g, lcm);
        }
        return new KsResult(d, asymptoticPValue(d, n1, n2), KsResult.Method.ASYMPTOTIC);
    }

    private static KsResult fromExtremes(Extremes e, int n1, int n2) {
        // scipy: minS = clip(-min(cddiffs), 0, 1), maxS = max(cddiffs); d = minS if minS > maxS else maxS
        double maxS = e.maxNumerator == 0 ? 0.0 : (double) e.maxI / n1 - (double) e.maxJ / n2;
        double minS = e.minNumerator == 0 ? 0.0 : Math.min(Math.max(-((double) e.minI / n1 - (double) e.minJ / n2), 0), 1);
        double d = minS > maxS ? minS : maxS;
        if (Math.max(n1, n2) <= MAX_EXACT_N) {
            int g = gcd(n1, n2);
            long lcm = (long) (n1 / g) * n2;
            // h = round(d * lcm) in scipy; the merge already has it exactly as an integer
            long h = Math.max(e.maxNumerator, -e.minNumerator) / g;
            return exactOrFallback(h, n1, n2, g, lcm);
        }
        return new KsResult(d, asymptoticPValue(d, n1, n2), KsResult.Method.ASYMPTOTIC);
    }

    private static KsResult exactOrFallback(long h, int n1, int n2, int g, long lcm) {
        double d = h * 1.0 / lcm;
        if (h == 0) {
            return new KsResult(d, 1.0, KsResult.Method.EXACT);
        }
        double p = KsExactDistribution.twoSidedPValue(n1, n2, g, h);
        if (Double.isNaN(p)) { // scipy: "Exact calculation unsuccessful. Switching to method=asymp"
            return new KsResult(d, asymptoticPValue(d, n1, n2), KsResult.Method.ASYMPTOTIC);
        }
        return new KsResult(d, clip(p), KsResult.Method.EXACT);
    }

    static double asymptoticPValue(double d, long n1, long n2) {
        double m = Math.max((double) n1, (double) n2);
        double n = Math.min((double) n1, (double) n2);
        double en = m * n / (m + n);
        return clip(KolmogorovDistribution.sf((long) Math.rint(en), d));
    }

    private static double clip(double p) {
        return Math.min(Math.max(p, 0.0), 1.0);
    }

    static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /**
     * Extremes of n1*n2*(F1 - F2) over all evaluation points, as exact integers, plus the counts
     * (i, j) where they occur.
     */
    static final class Extremes {
        long maxNumerator;
        long maxI;
        long maxJ;
        long minNumerator;
        long minI;
        long minJ;

        /**
         * One linear pass over two sorted key arrays (layout of {@link SortedKeys}). Two independent
         * merges run in the same loop, one from the low end and one from the high end, meeting in
         * the middle: each step depends on the previous one through the indexes, so two chains
         * keep the CPU busy twice as well; the steps are written as arithmetic and selects so that
         * they compile to branch-free code (a random interleaving defeats branch prediction).
         *
         * <p>Merged order is (value, reference before current). A point counts only once all
         * copies of its value are on the same side of it: that is scipy's evaluation of the CDFs
         * with side='right' at each sample value.
         */
        static Extremes of(long[] x, int n1, long[] y, int n2) {
            long n1l = n1;
            long n2l = n2;
            int total = n1 + n2;
            int frontSteps = total / 2;
            int backSteps = total - frontSteps;

            long mx = 0;
            int mxI = n1; // the point after every value: F1 = F2 = 1, difference 0
            long mn = 0;
            int mnI = n1;

            // low end: counts (i, j) taken so far, numerator i*n2 - j*n1 kept incrementally
            int i = 0;
            int j = 0;
            long numF = 0;
            long xf = x[1];
            long yf = y[1];
            // high end: counts (ib, jb) still in place
            int ib = n1;
            int jb = n2;
            long numB = 0;
            long xb = x[n1];
            long yb = y[n2];
            for (int s = 0; s < backSteps; s++) {
                // high end: remove the largest remaining element (current before reference on ties)
                int takeY = yb >= xb ? 1 : 0;
                long vb = Math.max(xb, yb);
                jb -= takeY;
                ib -= 1 - takeY;
                numB += takeY * n1l - (1 - takeY) * n2l;
                xb = x[ib];
                yb = y[jb];
                // an invalid point contributes 0, which never beats mx >= 0 or mn <= 0
                long cb = Math.max(xb, yb) != vb ? numB : 0;
                mxI = cb > mx ? ib : mxI;
                mx = Math.max(mx, cb);
                mnI = cb < mn ? ib : mnI;
                mn = Math.min(mn, cb);

                if (s < frontSteps) {
                    // low end: take the smallest remaining element (reference first on ties)
                    int takeX = xf <= yf ? 1 : 0;
                    long vf = Math.min(xf, yf);
                    i += takeX;
                    j += 1 - takeX;
                    numF += takeX * n2l - (1 - takeX) * n1l;
                    xf = x[i + 1];
                    yf = y[j + 1];
                    long cf = Math.min(xf, yf) != vf ? numF : 0;
                    mxI = cf > mx ? i : mxI;
                    mx = Math.max(mx, cf);
                    mnI = cf < mn ? i : mnI;
                    mn = Math.min(mn, cf);
                }
            }
            Extremes e = new Extremes();
            e.maxNumerator = mx;
            e.maxI = mxI;
            e.maxJ = (mxI * n2l - mx) / n1l;
            e.minNumerator = mn;
            e.minI = mnI;
            e.minJ = (mnI * n2l - mn) / n1l;
            return e;
        }
    }
}
