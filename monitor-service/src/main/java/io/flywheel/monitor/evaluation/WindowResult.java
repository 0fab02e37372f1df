package io.flywheel.monitor.evaluation;

import io.flywheel.monitor.window.FeatureEvaluation;

import java.time.Instant;
import java.util.Map;

/**
 * Drift and quality of one model version over one window: one point of the time series that
 * {@code GET /api/v1/monitoring/{model}/versions/{v}/drift} serves.
 *
 * @param samples      predictions in the window
 * @param labelled     labelled predictions in the window
 * @param features     per input feature (tests, decision)
 * @param prediction   prediction drift (the output against the training target), when fitted
 * @param quality      metric → value, once labels arrived (roc_auc_bracket: the AUC's bound from binned scores)
 * @param concept      detector → {"state", "last_drift_at"}
 * @param lateEvents   events that came after their pane had left the window, counted and dropped
 */
public record WindowResult(String model, int version, Instant windowStart, Instant windowEnd, Instant evaluatedAt,
                           long samples, long labelled, Integer featuresJudged, Integer featuresDrifted,
                           Double shareDrifted, Boolean datasetDrift, Map<String, FeatureEvaluation> features,
                           FeatureEvaluation prediction, Map<String, Double> quality,
                           Map<String, Map<String, Object>> concept, long lateEvents) {
}
