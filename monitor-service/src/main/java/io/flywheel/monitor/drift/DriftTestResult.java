package io.flywheel.monitor.drift;

import java.util.OptionalDouble;

/**
 * Outcome of one drift test on one feature.
 *
 * @param testName  wire name of the test ({@link DriftTest#id()})
 * @param statistic the test statistic or distance
 * @param pValue    the p-value, present for p-value tests only
 * @param threshold the threshold the decision used
 * @param drift     whether drift was detected
 */
public record DriftTestResult(String testName, double statistic, OptionalDouble pValue, double threshold,
                              boolean drift) {

    public DriftTestResult {
        if (testName == null || testName.isBlank()) {
            throw new IllegalArgumentException("test name must not be blank");
        }
        if (pValue == null) {
            throw new IllegalArgumentException("pValue must not be null: use OptionalDouble.empty()");
        }
    }

    /** Decides a result with a test's direction. */
    public static DriftTestResult decide(DriftTest test, double statistic, OptionalDouble pValue, double threshold) {
        if (test.usesPValue() && pValue.isEmpty()) {
            throw new IllegalArgumentException("test '" + test.id() + "' decides on a p-value, but none was given");
        }
        if (Double.isNaN(statistic)) {
            throw new IllegalArgumentException("statistic of test '" + test.id() + "' is NaN");
        }
        if (!(threshold >= 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("threshold of test '" + test.id() + "' must be finite and >= 0, was "
                + threshold);
        }
        boolean drift = test.isDrift(statistic, pValue.orElse(Double.NaN), threshold);
        return new DriftTestResult(test.id(), statistic, pValue, threshold, drift);
    }
}
