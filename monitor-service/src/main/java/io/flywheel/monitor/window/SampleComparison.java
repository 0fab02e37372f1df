package io.flywheel.monitor.window;

import io.flywheel.monitor.drift.DriftPolicy;
import io.flywheel.monitor.drift.DriftTest;
import io.flywheel.monitor.drift.DriftTestResult;
import io.flywheel.monitor.drift.DriftTests;
import io.flywheel.monitor.drift.FeatureKind;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stateless comparison of two raw samples per feature with the exact statistics (KS as scipy's
 * ks_2samp, ...): Evidently's default test per feature unless tests are named, thresholds
 * overridable, and the dataset decision on the share of drifted features. Invalid input is an
 * {@link IllegalArgumentException} whose message starts with the feature it concerns.
 */
public final class SampleComparison {

    private SampleComparison() {
    }

    public record FeatureResult(String kind, long referenceSize, long currentSize, Map<String, TestOutcome> tests,
                                boolean drift) {
    }

    public record Result(Map<String, FeatureResult> features, List<String> driftedFeatures, double shareDrifted,
                         double shareThreshold, boolean datasetDrift) {
    }

    public static Result compare(Map<String, List<Object>> reference, Map<String, List<Object>> current,
                                 Map<String, List<String>> tests, Map<String, Map<String, Double>> thresholds,
                                 Double datasetDriftShare) {
        if (reference == null || reference.isEmpty()) {
            throw new IllegalArgumentException("reference: at least one feature is needed");
        }
        if (current == null) {
            throw new IllegalArgumentException("current: the samples to compare are missing");
        }
        Set<String> names = new HashSet<>(reference.keySet());
        names.addAll(current.keySet());
        for (String n : names) {
            if (!reference.containsKey(n)) {
                throw new IllegalArgumentException("feature '" + n + "': has a current sample but no reference sample");
            }
            if (!current.containsKey(n)) {
                throw new IllegalArgumentException("feature '" + n + "': has a reference sample but no current sample");
            }
        }
        if (tests != null) {
            for (String n : tests.keySet()) {
                if (!reference.containsKey(n)) {
                    throw new IllegalArgumentException("feature '" + n + "': tests are named for a feature that has no samples");
                }
            }
        }
        double share = datasetDriftShare == null ? DriftPolicy.DEFAULT_DATASET_DRIFT_SHARE : datasetDriftShare;
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("dataset_drift_share must be in (0, 1], was " + share);
        }
        Map<String, FeatureResult> out = new LinkedHashMap<>();
        List<String> drifted = new ArrayList<>();
        for (String name : reference.keySet()) {
            FeatureResult r;
            try {
                r = feature(name, reference.get(name), current.get(name), tests == null ? null : tests.get(name),
                        thresholds == null ? null : thresholds.get(name));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("feature '" + name + "': " + e.getMessage());
            }
            out.put(name, r);
            if (r.drift()) {
                drifted.add(name);
            }
        }
        double s = (double) drifted.size() / out.size();
        return new Result(out, drifted, s, share, s >= share);
    }

    private static FeatureResult feature(String name, List<Object> ref, List<Object> cur, List<String> testNames,
                                         Map<String, Double> thresholds) {
        if (ref == null || ref.isEmpty()) {
            throw new IllegalArgumentException("the reference sample is empty");
        }
        if (cur == null || cur.isEmpty()) {
            throw new IllegalArgumentException("the current sample is empty");
        }
        FeatureKind kind = kindOf(ref, cur);
        DriftPolicy policy = DriftPolicy.defaults();
        if (thresholds != null) {
            for (var e : thresholds.entrySet()) {
                if (e.getValue() == null) {
                    throw new IllegalArgumentException("threshold of '" + e.getKey() + "' is null");
                }
                policy = policy.withThreshold(DriftTest.fromId(e.getKey()), e.getValue());
            }
        }
        Map<String, TestOutcome> results = new LinkedHashMap<>();
        if (kind == FeatureKind.NUMERIC) {
            double[] r = numbers(ref);
            double[] c = numbers(cur);
            if (testNames == null) {
                DriftTestResult t = DriftTests.numeric(r, c, policy);
                results.put(t.testName(), outcome(t));
            } else {
                for (String t : distinct(testNames)) {
                    results.put(DriftTest.fromId(t).id(), outcome(DriftTests.numeric(DriftTest.fromId(t), r, c, policy)));
                }
            }
        } else {
            List<String> r = ref.stream().map(Binner::categoryOf).toList();
            List<String> c = cur.stream().map(Binner::categoryOf).toList();
            if (testNames == null) {
                DriftTestResult t = DriftTests.categorical(r, c, policy);
                results.put(t.testName(), outcome(t));
            } else {
                for (String t : distinct(testNames)) {
                    results.put(DriftTest.fromId(t).id(), outcome(DriftTests.categorical(DriftTest.fromId(t), r, c, policy)));
                }
            }
        }
        boolean drift = results.values().stream().anyMatch(TestOutcome::drift);
        return new FeatureResult(kind == FeatureKind.NUMERIC ? "numeric" : "categorical", ref.size(), cur.size(), results,
                drift);
    }

    private static List<String> distinct(List<String> tests) {
        if (tests.isEmpty()) {
            throw new IllegalArgumentException("tests is empty: name at least one, or leave it out for the default");
        }
        return tests.stream().distinct().toList();
    }

    private static TestOutcome outcome(DriftTestResult t) {
        return TestOutcome.of(t.statistic(), t.pValue().isPresent() ? t.pValue().getAsDouble() : null, t.threshold(), t.drift());
    }

    private static FeatureKind kindOf(List<Object> ref, List<Object> cur) {
        boolean anyNumber = false;
        boolean anyCategory = false;
        for (List<Object> sample : List.of(ref, cur)) {
            for (int i = 0; i < sample.size(); i++) {
                Object v = sample.get(i);
                if (v == null) {
                    throw new IllegalArgumentException((sample == ref ? "reference" : "current") + " value " + i
                            + " is null: remove missing values");
                } else if (v instanceof Number) {
                    anyNumber = true;
                } else if (v instanceof String || v instanceof Boolean) {
                    anyCategory = true;
                } else {
                    throw new IllegalArgumentException((sample == ref ? "reference" : "current") + " value " + i
                            + " is an object or list: only numbers, strings and booleans can be compared");
                }
            }
        }
        if (anyNumber && anyCategory) {
            throw new IllegalArgumentException("mixed types: numbers and strings/booleans in one feature");
        }
        return anyNumber ? FeatureKind.NUMERIC : FeatureKind.CATEGORICAL;
    }

    private static double[] numbers(List<Object> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values.get(i)).doubleValue();
        }
        return out;
    }
}
