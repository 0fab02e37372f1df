package io.flywheel.monitor.window;

import io.flywheel.monitor.drift.DriftPolicy;
import io.flywheel.monitor.drift.DriftTest;
import io.flywheel.monitor.drift.QuantileBins;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How one model is judged: model-wide defaults, overridable per feature. Every field may be null
 * (= the default).
 *
 * @param tests              drift tests to decide on (default: Evidently's choice per feature)
 * @param thresholds         test name → threshold (default: each test's own, {@link DriftTest})
 * @param minSamples         events a feature needs in the window before it is judged (default 100)
 * @param datasetDriftShare  share of drifted features that makes the dataset drift (default 0.5)
 * @param paneSeconds        pane length (default 300)
 * @param panes              panes per window (default 12: a window of one hour)
 * @param bins               quantile bins per numeric feature when the reference is fitted (default 100)
 * @param quality            metric → bounds, e.g. {"accuracy": {"min": 0.8}, "rmse": {"max": 3}}
 * @param minLabelled        labelled predictions needed before quality is judged (default 50)
 * @param conceptDrift       whether a detector's DRIFT raises quality.degraded kind "concept" (default true)
 * @param features           feature → its own tests, thresholds and min samples
 * @param joinLabels         whether predictions wait for labels (default true); false for a model that
 *                           never gets ground truth spares one database write per prediction
 */
public record MonitorPolicy(List<String> tests, Map<String, Double> thresholds, Long minSamples,
                            Double datasetDriftShare, Long paneSeconds, Integer panes, Integer bins,
                            Map<String, Bounds> quality, Long minLabelled, Boolean conceptDrift,
                            Map<String, FeaturePolicy> features, Boolean joinLabels) {

    public MonitorPolicy(List<String> tests, Map<String, Double> thresholds, Long minSamples, Double datasetDriftShare,
                         Long paneSeconds, Integer panes, Integer bins, Map<String, Bounds> quality, Long minLabelled,
                         Boolean conceptDrift, Map<String, FeaturePolicy> features) {
        this(tests, thresholds, minSamples, datasetDriftShare, paneSeconds, panes, bins, quality, minLabelled, conceptDrift,
                features, null);
    }

    public static final long DEFAULT_MIN_SAMPLES = 100;
    public static final long DEFAULT_MIN_LABELLED = 50;

    public static final List<String> QUALITY_METRICS = List.of("accuracy", "precision", "recall", "f1", "roc_auc",
            "log_loss", "mae", "rmse", "mape", "r2");

    /** Per-feature overrides. */
    public record FeaturePolicy(List<String> tests, Map<String, Double> thresholds, Long minSamples) {
    }

    /** A quality metric is degraded below min or above max. */
    public record Bounds(Double min, Double max) {
        public boolean breached(double value) {
            return (min != null && value < min) || (max != null && value > max);
        }

        public double threshold() {
            return min != null ? min : max;
        }
    }

    public static MonitorPolicy defaults() {
        return new MonitorPolicy(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Checks names and ranges; the message says which field is wrong. */
    public MonitorPolicy validated() {
        List<String> problems = new ArrayList<>();
        checkTests("tests", tests, problems);
        checkThresholds("thresholds", thresholds, problems);
        if (minSamples != null && minSamples < 1) {
            problems.add("min_samples must be at least 1");
        }
        if (datasetDriftShare != null && !(datasetDriftShare > 0 && datasetDriftShare <= 1)) {
            problems.add("dataset_drift_share must be in (0, 1]");
        }
        if (paneSeconds != null && paneSeconds < 1) {
            problems.add("pane_seconds must be at least 1");
        }
        if (panes != null && (panes < 1 || panes > 1440)) {
            problems.add("panes must be in [1, 1440]");
        }
        if (bins != null && (bins < 2 || bins > QuantileBins.MAX_BINS)) {
            problems.add("bins must be in [2, " + QuantileBins.MAX_BINS + "]");
        }
        if (minLabelled != null && minLabelled < 1) {
            problems.add("min_labelled must be at least 1");
        }
        if (quality != null) {
            quality.forEach((metric, b) -> {
                if (!QUALITY_METRICS.contains(metric)) {
                    problems.add("quality: unknown metric '" + metric + "'; known: " + String.join(", ", QUALITY_METRICS));
                } else if (b == null || (b.min() == null && b.max() == null)) {
                    problems.add("quality." + metric + " needs min or max");
                }
            });
        }
        if (features != null) {
            features.forEach((name, f) -> {
                if (f != null) {
                    checkTests("features." + name + ".tests", f.tests(), problems);
                    checkThresholds("features." + name + ".thresholds", f.thresholds(), problems);
                    if (f.minSamples() != null && f.minSamples() < 1) {
                        problems.add("features." + name + ".min_samples must be at least 1");
                    }
                }
            });
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return this;
    }

    private static void checkTests(String field, List<String> tests, List<String> problems) {
        if (tests == null) {
            return;
        }
        if (tests.isEmpty()) {
            problems.add(field + " must not be empty (leave it out for the default choice)");
        }
        for (String t : tests) {
            try {
                DriftTest.fromId(t);
            } catch (IllegalArgumentException e) {
                problems.add(field + ": " + e.getMessage());
            }
        }
    }

    private static void checkThresholds(String field, Map<String, Double> thresholds, List<String> problems) {
        if (thresholds == null) {
            return;
        }
        thresholds.forEach((t, v) -> {
            try {
                DriftPolicy.defaults().withThreshold(DriftTest.fromId(t), v == null ? Double.NaN : v);
            } catch (IllegalArgumentException e) {
                problems.add(field + ": " + e.getMessage());
            }
        });
    }

    public WindowSpec window() {
        return new WindowSpec((paneSeconds == null ? WindowSpec.DEFAULT.paneMillis() / 1000 : paneSeconds) * 1000,
                panes == null ? WindowSpec.DEFAULT.panes() : panes);
    }

    public int binsOrDefault() {
        return bins == null ? QuantileBins.DEFAULT_BINS : bins;
    }

    public double datasetDriftShareOrDefault() {
        return datasetDriftShare == null ? DriftPolicy.DEFAULT_DATASET_DRIFT_SHARE : datasetDriftShare;
    }

    public long minLabelledOrDefault() {
        return minLabelled == null ? DEFAULT_MIN_LABELLED : minLabelled;
    }

    public boolean joinLabelsOrDefault() {
        return joinLabels == null || joinLabels;
    }

    public boolean conceptDriftOrDefault() {
        return conceptDrift == null || conceptDrift;
    }

    /** The tests to decide a feature on, or null for Evidently's default choice. */
    public List<DriftTest> testsFor(String feature) {
        FeaturePolicy f = features == null ? null : features.get(feature);
        List<String> names = f != null && f.tests() != null ? f.tests() : tests;
        return names == null ? null : names.stream().map(DriftTest::fromId).toList();
    }

    public long minSamplesFor(String feature) {
        FeaturePolicy f = features == null ? null : features.get(feature);
        if (f != null && f.minSamples() != null) {
            return f.minSamples();
        }
        return minSamples == null ? DEFAULT_MIN_SAMPLES : minSamples;
    }

    /** The drift policy (thresholds) for one feature: model-wide, then the feature's own. */
    public DriftPolicy driftPolicyFor(String feature) {
        DriftPolicy p = DriftPolicy.defaults();
        if (thresholds != null) {
            for (var e : thresholds.entrySet()) {
                p = p.withThreshold(DriftTest.fromId(e.getKey()), e.getValue());
            }
        }
        FeaturePolicy f = features == null ? null : features.get(feature);
        if (f != null && f.thresholds() != null) {
            for (var e : f.thresholds().entrySet()) {
                p = p.withThreshold(DriftTest.fromId(e.getKey()), e.getValue());
            }
        }
        return p;
    }
}
