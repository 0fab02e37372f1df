package io.flywheel.monitor.window;

import java.util.List;
import java.util.Map;

/**
 * Drift of one feature: every test computed, the ones the policy decides on ({@code decidedBy}),
 * and the decision: drift when any deciding test drifts; null (not judged) below the minimum samples.
 */
public record FeatureEvaluation(String kind, long samples, long referenceSamples, Map<String, TestOutcome> tests,
                                List<String> decidedBy, Boolean drift, String note) {
}
