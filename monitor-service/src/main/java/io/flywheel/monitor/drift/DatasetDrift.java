package io.flywheel.monitor.drift;

import java.util.List;

/**
 * Dataset-level drift: drift when the share of drifted features reaches the configured share,
 * as Evidently's DatasetDriftMetric ({@code share_of_drifted_columns >= drift_share}).
 *
 * @param features       per-feature decisions, in input order
 * @param driftedCount   number of drifted features
 * @param driftedShare   driftedCount / number of features
 * @param shareThreshold the share that makes the dataset drift
 * @param correction     multiple-testing correction applied to p-value tests
 * @param drift          driftedShare &gt;= shareThreshold
 */
public record DatasetDrift(List<FeatureDrift> features, int driftedCount, double driftedShare, double shareThreshold,
                           DriftPolicy.Correction correction, boolean drift) {

    public DatasetDrift {
        features = List.copyOf(features);
    }
}
