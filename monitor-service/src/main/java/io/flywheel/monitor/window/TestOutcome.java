package io.flywheel.monitor.window;

/**
 * One drift test's result on one feature. {@code pvalue} only for tests that have one;
 * {@code statisticLower}/{@code statisticUpper} the guaranteed bracket of the exact statistic when
 * it is computed from bins (KS); {@code estimate} true when the statistic is an estimate from bins
 * (Wasserstein from bins).
 */
public record TestOutcome(double statistic, Double pvalue, double threshold, boolean drift, Double statisticLower,
                          Double statisticUpper, Boolean estimate) {

    public static TestOutcome of(double statistic, Double pvalue, double threshold, boolean drift) {
        return new TestOutcome(statistic, pvalue, threshold, drift, null, null, null);
    }
}
