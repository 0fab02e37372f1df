package io.flywheel.monitor.drift;

import org.apache.commons.math3.special.Gamma;

/**
 * Chi-square goodness-of-fit test of current category counts against the reference proportions,
 * as make_golden.py defines it: over the reference's categories only (current values of a
 * category the reference never saw are dropped first; {@link UnseenShare} reports those), with
 * {@code f_exp = reference proportion * number of current values kept}, i.e.
 * {@code scipy.stats.chisquare(f_obs, f_exp)} with k - 1 degrees of freedom.
 *
 * <p>Evidently's chi2 stattest instead uses the union of categories, which gives an infinite
 * statistic as soon as one new category appears; dropping them keeps the test meaningful.
 *
 * <p>The p-value is the chi-square survival function, {@code Q(df/2, x/2)} (the regularized upper
 * incomplete gamma function that Commons Math's {@code ChiSquaredDistribution} is built on). It is
 * evaluated directly rather than as {@code 1 - ChiSquaredDistribution.cumulativeProbability(x)},
 * which would round every p-value below about 1e-16 to 0.
 */
public final class ChiSquare {

    private ChiSquare() {
    }

    /**
     * @param referenceCounts counts per reference category (every one must be positive)
     * @param currentCounts   current counts for the same categories, unseen categories excluded
     */
    public static ChiSquareResult test(long[] referenceCounts, long[] currentCounts) {
        Checks.requireCounts(referenceCounts, "reference counts");
        Checks.requireCounts(currentCounts, "current counts");
        Checks.requireSameLength(referenceCounts.length, currentCounts.length, "reference counts", "current counts");
        int k = referenceCounts.length;
        if (k < 2) {
            throw new IllegalArgumentException("chi-square needs at least 2 reference categories, got " + k);
        }
        double referenceTotal = 0;
        double currentTotal = 0;
        for (int i = 0; i < k; i++) {
            if (referenceCounts[i] == 0) {
                throw new IllegalArgumentException("reference count of category " + i
                    + " is 0: every category of the test must occur in the reference");
            }
            referenceTotal += referenceCounts[i];
            currentTotal += currentCounts[i];
        }
        if (currentTotal == 0) {
            throw new IllegalArgumentException("current counts sum to 0: no current value falls in a reference category");
        }
        double statistic = 0.0;
        for (int i = 0; i < k; i++) {
            double expected = referenceCounts[i] / referenceTotal * currentTotal;
            double d = currentCounts[i] - expected;
            statistic += d * d / expected;
        }
        int df = k - 1;
        return new ChiSquareResult(statistic, survival(statistic, df), df);
    }

    /**
     * Test on histograms built with a {@link CategoryDictionary}: the dictionary's "other" bin
     * (unseen categories) is left out.
     */
    public static ChiSquareResult test(CategoryDictionary dictionary, Histogram reference, Histogram current) {
        int k = dictionary.size();
        Checks.requireSameLength(reference.binCount(), dictionary.binCount(), "reference histogram", "dictionary");
        Checks.requireSameLength(current.binCount(), dictionary.binCount(), "current histogram", "dictionary");
        return test(java.util.Arrays.copyOf(reference.counts(), k), java.util.Arrays.copyOf(current.counts(), k));
    }

    /** Upper tail Pr(X &gt; x) of a chi-square distribution with df degrees of freedom. */
    public static double survival(double x, int df) {
        if (df < 1) {
            throw new IllegalArgumentException("degrees of freedom must be at least 1, was " + df);
        }
        if (Double.isNaN(x)) {
            throw new IllegalArgumentException("chi-square statistic is NaN");
        }
        if (x <= 0) {
            return 1.0;
        }
        return Gamma.regularizedGammaQ(df / 2.0, x / 2.0);
    }
}
