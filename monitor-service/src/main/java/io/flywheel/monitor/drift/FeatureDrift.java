package io.flywheel.monitor.drift;

import java.util.OptionalDouble;

/**
 * One feature's part in a dataset-level decision.
 *
 * @param feature         feature name
 * @param result          the feature's own test result
 * @param adjustedPValue  its p-value after the multiple-testing correction, if it had one and a
 *                        correction was applied
 * @param drift           the decision used for the dataset: the adjusted p-value against the
 *                        result's threshold when adjusted, otherwise {@code result.drift()}
 */
public record FeatureDrift(String feature, DriftTestResult result, OptionalDouble adjustedPValue, boolean drift) {
}
