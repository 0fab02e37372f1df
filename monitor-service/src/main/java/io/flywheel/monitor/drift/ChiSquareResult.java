package io.flywheel.monitor.drift;

/**
 * Pearson chi-square goodness-of-fit result.
 *
 * @param statistic        sum (observed - expected)^2 / expected
 * @param pValue           upper tail of the chi-square distribution at the statistic
 * @param degreesOfFreedom number of reference categories - 1
 */
public record ChiSquareResult(double statistic, double pValue, int degreesOfFreedom) {
}
