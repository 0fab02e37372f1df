package io.flywheel.monitor.drift;

import org.apache.commons.math3.special.Erf;

/**
 * Two-proportion z-test, Evidently's {@code z} stattest for features with at most two distinct
 * values and a small reference: with p1 = k1/n1 (reference share of one of the two values),
 * p2 = k2/n2 and the pooled P = (k1 + k2)/(n1 + n2),
 * {@code z = (p1 - p2) / sqrt(P (1 - P) (1/n1 + 1/n2))}, two-sided p = 2 (1 - Phi(|z|)).
 * The test is symmetric, so which of the two values is counted does not matter. As in Evidently,
 * when both samples hold one and the same single value the p-value is 1. The tail is computed as
 * erfc(|z|/sqrt 2), which equals Evidently's 2 (1 - Phi(|z|)) without its cancellation.
 */
public final class ProportionZTest {

    private ProportionZTest() {
    }

    /** Statistic z and two-sided p-value. */
    public record Result(double statistic, double pValue) {
    }

    /**
     * @param referenceHits reference values equal to one of the two categories
     * @param currentHits   current values equal to the same category
     */
    public static Result test(long referenceHits, long referenceTotal, long currentHits, long currentTotal) {
        if (referenceTotal < 1 || currentTotal < 1) {
            throw new IllegalArgumentException("sample sizes must be at least 1, were " + referenceTotal + " and "
                + currentTotal);
        }
        if (referenceHits < 0 || referenceHits > referenceTotal || currentHits < 0 || currentHits > currentTotal) {
            throw new IllegalArgumentException("hits must lie between 0 and the sample size: " + referenceHits + "/"
                + referenceTotal + ", " + currentHits + "/" + currentTotal);
        }
        double p1 = (double) referenceHits / referenceTotal;
        double p2 = (double) currentHits / currentTotal;
        double pooled = (double) (referenceHits + currentHits) / (referenceTotal + currentTotal);
        double variance = pooled * (1 - pooled) * (1.0 / referenceTotal + 1.0 / currentTotal);
        if (variance == 0) { // one value only, in both samples
            return new Result(0.0, 1.0);
        }
        double z = (p1 - p2) / Math.sqrt(variance);
        return new Result(z, Erf.erfc(Math.abs(z) / Math.sqrt(2)));
    }
}
