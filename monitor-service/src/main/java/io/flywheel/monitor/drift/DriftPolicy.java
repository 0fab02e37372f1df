package io.flywheel.monitor.drift;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Which test to run on a feature, the thresholds that turn results into drift decisions, and the
 * dataset-level rule. Immutable: the {@code with...} methods return modified copies.
 *
 * <p><b>Default test</b> ({@link #defaultTest}), Evidently's {@code _get_default_stattest} for
 * tabular data, where n_unique is the number of distinct non-missing values of reference and
 * current together ({@code pd.concat([reference, current]).nunique()}):
 * <ul>
 *   <li>reference rows &lt;= 1000:
 *     <ul>
 *       <li>numeric: n_unique &gt; 5 → {@code ks}; 3..5 → {@code chi2}; &lt;= 2 → {@code z}</li>
 *       <li>categorical: n_unique &gt; 2 → {@code chi2}; &lt;= 2 → {@code z} (two-proportion z-test)</li>
 *     </ul>
 *   <li>reference rows &gt; 1000:
 *     <ul>
 *       <li>numeric: n_unique &gt; 5 → {@code wasserstein_norm}; &lt;= 5 → {@code js}</li>
 *       <li>categorical: {@code js}</li>
 *     </ul>
 * </ul>
 * Low-cardinality numeric features are thus tested as categories, each distinct value being one.
 *
 * <p><b>Thresholds</b>: {@link DriftTest#defaultThreshold()} unless overridden here; p-value
 * tests drift when p &lt; threshold, distances when statistic &gt;= threshold.
 *
 * <p><b>Dataset</b>: drift when the share of drifted features is &gt;= {@code datasetDriftShare}
 * (default 0.5). Optionally the p-values of the p-value tests are first adjusted together with
 * Bonferroni or Benjamini–Hochberg (off by default, as in Evidently); each adjusted p-value is then
 * compared with its own test's threshold.
 *
 * <p>Binned numeric tests (psi, js, hellinger) use {@code numericBins} reference-quantile bins
 * (default 10, the deciles make_golden.py uses).
 */
public final class DriftPolicy {

    /** Evidently's reference-size switch between p-value tests and distances. */
    public static final long SMALL_REFERENCE_ROWS = 1000;
    /** Evidently: numeric features with at most this many distinct values are tested as categories. */
    public static final long LOW_CARDINALITY = 5;
    public static final double DEFAULT_DATASET_DRIFT_SHARE = 0.5;
    public static final int DEFAULT_NUMERIC_BINS = 10;

    /** Multiple-testing correction for the dataset-level decision. */
    public enum Correction {
        NONE,
        BONFERRONI,
        BENJAMINI_HOCHBERG
    }

    private final Map<DriftTest, Double> thresholds;
    private final double datasetDriftShare;
    private final int numericBins;
    private final Correction correction;

    private DriftPolicy(Map<DriftTest, Double> thresholds, double datasetDriftShare, int numericBins,
                        Correction correction) {
        this.thresholds = thresholds;
        this.datasetDriftShare = datasetDriftShare;
        this.numericBins = numericBins;
        this.correction = correction;
    }

    public static DriftPolicy defaults() {
        Map<DriftTest, Double> t = new EnumMap<>(DriftTest.class);
        for (DriftTest test : DriftTest.values()) {
            t.put(test, test.defaultThreshold());
        }
        return new DriftPolicy(t, DEFAULT_DATASET_DRIFT_SHARE, DEFAULT_NUMERIC_BINS, Correction.NONE);
    }

    public DriftPolicy withThreshold(DriftTest test, double threshold) {
        if (test == null) {
            throw new IllegalArgumentException("test must not be null");
        }
        if (!(threshold >= 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("threshold of '" + test.id() + "' must be finite and >= 0, was " + threshold);
        }
        if (test.usesPValue() && threshold > 1) {
            throw new IllegalArgumentException("threshold of '" + test.id() + "' is a significance level and must be "
                + "in [0, 1], was " + threshold);
        }
        Map<DriftTest, Double> t = new EnumMap<>(thresholds);
        t.put(test, threshold);
        return new DriftPolicy(t, datasetDriftShare, numericBins, correction);
    }

    public DriftPolicy withDatasetDriftShare(double share) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("dataset drift share must be in (0, 1], was " + share);
        }
        return new DriftPolicy(thresholds, share, numericBins, correction);
    }

    public DriftPolicy withNumericBins(int bins) {
        if (bins < 2 || bins > QuantileBins.MAX_BINS) {
            throw new IllegalArgumentException("numeric bins must be in [2, " + QuantileBins.MAX_BINS + "], was " + bins);
        }
        return new DriftPolicy(thresholds, datasetDriftShare, bins, correction);
    }

    public DriftPolicy withCorrection(Correction correction) {
        if (correction == null) {
            throw new IllegalArgumentException("correction must not be null: use Correction.NONE");
        }
        return new DriftPolicy(thresholds, datasetDriftShare, numericBins, correction);
    }

    public double threshold(DriftTest test) {
        return thresholds.get(test);
    }

    public double datasetDriftShare() {
        return datasetDriftShare;
    }

    public int numericBins() {
        return numericBins;
    }

    public Correction correction() {
        return correction;
    }

    /**
     * Evidently's default test for a feature (see the class comment).
     *
     * @param referenceRows  rows in the reference
     * @param distinctValues distinct values in reference and current together
     */
    public static DriftTest defaultTest(FeatureKind kind, long referenceRows, long distinctValues) {
        if (kind == null) {
            throw new IllegalArgumentException("feature kind must not be null");
        }
        if (referenceRows < 1) {
            throw new IllegalArgumentException("reference must have at least one row, has " + referenceRows);
        }
        if (distinctValues < 1) {
            throw new IllegalArgumentException("distinct values must be at least 1, was " + distinctValues);
        }
        boolean lowCardinality = kind == FeatureKind.CATEGORICAL || distinctValues <= LOW_CARDINALITY;
        if (referenceRows <= SMALL_REFERENCE_ROWS) {
            if (!lowCardinality) {
                return DriftTest.KS;
            }
            return distinctValues > 2 ? DriftTest.CHI2 : DriftTest.Z;
        }
        return lowCardinality ? DriftTest.JS : DriftTest.WASSERSTEIN_NORM;
    }

    /** Decides one result with this policy's threshold for the test. */
    public DriftTestResult decide(DriftTest test, double statistic, OptionalDouble pValue) {
        return DriftTestResult.decide(test, statistic, pValue, threshold(test));
    }

    /** Dataset-level decision over per-feature results (iteration order is kept). */
    public DatasetDrift datasetDrift(Map<String, DriftTestResult> featureResults) {
        if (featureResults == null || featureResults.isEmpty()) {
            throw new IllegalArgumentException("feature results are empty: at least one feature is needed");
        }
        List<String> names = new ArrayList<>(featureResults.keySet());
        List<DriftTestResult> results = new ArrayList<>(featureResults.values());
        double[] adjusted = new double[results.size()];
        java.util.Arrays.fill(adjusted, Double.NaN);
        if (correction != Correction.NONE) {
            List<Integer> withP = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i).pValue().isPresent()) {
                    withP.add(i);
                }
            }
            if (!withP.isEmpty()) {
                double[] p = new double[withP.size()];
                for (int k = 0; k < p.length; k++) {
                    p[k] = results.get(withP.get(k)).pValue().getAsDouble();
                }
                double[] adj = correction == Correction.BONFERRONI
                    ? MultipleTesting.bonferroni(p) : MultipleTesting.benjaminiHochberg(p);
                for (int k = 0; k < p.length; k++) {
                    adjusted[withP.get(k)] = adj[k];
                }
            }
        }
        List<FeatureDrift> features = new ArrayList<>();
        int drifted = 0;
        for (int i = 0; i < results.size(); i++) {
            DriftTestResult r = results.get(i);
            if (r == null) {
                throw new IllegalArgumentException("result of feature '" + names.get(i) + "' is null");
            }
            boolean hasAdjusted = !Double.isNaN(adjusted[i]);
            boolean drift = hasAdjusted ? adjusted[i] < r.threshold() : r.drift();
            features.add(new FeatureDrift(names.get(i), r,
                hasAdjusted ? OptionalDouble.of(adjusted[i]) : OptionalDouble.empty(), drift));
            if (drift) {
                drifted++;
            }
        }
        double share = (double) drifted / results.size();
        return new DatasetDrift(features, drifted, share, datasetDriftShare, correction, share >= datasetDriftShare);
    }
}
