package io.flywheel.monitor.drift;

/**
 * Result of a two-sample, two-sided Kolmogorov–Smirnov test.
 *
 * @param statistic D, the largest absolute difference between the two empirical CDFs (for the
 *                  exact method scipy reports it as h / lcm(n1, n2), and so does this class)
 * @param pValue    two-sided p-value
 * @param method    how the p-value was obtained
 */
public record KsResult(double statistic, double pValue, Method method) {

    /** Which null distribution gave the p-value, as scipy's {@code method} names them. */
    public enum Method {
        /** Exact lattice-path count (scipy 'exact'). */
        EXACT,
        /** kstwo with n = round(n1*n2/(n1+n2)) (scipy 'asymp'). */
        ASYMPTOTIC
    }
}
