package io.flywheel.monitor.evaluation;

import io.flywheel.monitor.ingest.LiveWindows;
import io.flywheel.monitor.ingest.StreamState;
import io.flywheel.monitor.reference.Catalog;
import io.flywheel.monitor.window.Alerts;
import io.flywheel.monitor.window.CompiledProfile;
import io.flywheel.monitor.window.DriftWindow;
import io.flywheel.monitor.window.FeatureEvaluation;
import io.flywheel.monitor.window.MonitorPolicy;
import io.flywheel.monitor.window.QualityStats;
import io.flywheel.monitor.window.QualityWindow;
import io.flywheel.monitor.window.ReferenceProfile;
import io.flywheel.monitor.window.TestOutcome;
import io.flywheel.monitor.window.WindowEvaluator;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Judges every live window on a schedule: drift per feature and for the prediction, quality once
 * labels arrived, the concept-drift detectors; stores the point of the time series, updates the
 * gauges and raises or clears alerts through {@link AlertPublisher}.
 */
@ApplicationScoped
public class Evaluator {

    private final LiveWindows live;
    private final Catalog catalog;
    private final ResultStore results;
    private final AlertPublisher alerts;
    private final MonitorMetrics metrics;

    public Evaluator(LiveWindows live, Catalog catalog, ResultStore results, AlertPublisher alerts, MonitorMetrics metrics) {
        this.live = live;
        this.catalog = catalog;
        this.results = results;
        this.alerts = alerts;
        this.metrics = metrics;
    }

    @Scheduled(every = "${monitor.evaluation-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> onSchedule() {
        return evaluateAll().onFailure().invoke(e -> Log.warnf(e, "evaluation failed, will retry"))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Evaluates every model version with live data; returns how many. */
    public Uni<Integer> evaluateAll() {
        Map<String, DriftWindow> drift = new HashMap<>();
        Map<String, List<QualityWindow>> quality = new HashMap<>();
        for (StreamState s : live.states()) {
            s.windows().forEach((k, w) -> drift.merge(k, w, (a, b) -> a.latest() >= b.latest() ? a : b));
            s.quality().forEach((k, q) -> quality.computeIfAbsent(k, x -> new ArrayList<>()).add(q));
        }
        TreeSet<String> keys = new TreeSet<>(drift.keySet());
        keys.addAll(quality.keySet());
        return Multi.createFrom().iterable(keys)
                // the statistics run on a worker thread (an exact KS p-value of a small window can take a while)
                .onItem().transformToUniAndConcatenate(k -> Uni.createFrom()
                        .deferred(() -> evaluate(k, drift.get(k), quality.getOrDefault(k, List.of())))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                        .onFailure().invoke(e -> Log.warnf("evaluation of %s failed: %s", k, e.getMessage()))
                        .onFailure().recoverWithNull())
                .collect().asList().map(List::size);
    }

    private Uni<Void> evaluate(String key, DriftWindow window, List<QualityWindow> qualityWindows) {
        int at = key.lastIndexOf('@');
        String model = key.substring(0, at);
        int version = Integer.parseInt(key.substring(at + 1));
        MonitorPolicy policy = catalog.policy(model);
        CompiledProfile profile = catalog.profile(model, version).orElse(null);
        Instant now = Instant.now();
        List<Alerts.Condition> conditions = new ArrayList<>();

        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        Map<String, FeatureEvaluation> features = null;
        FeatureEvaluation prediction = null;
        Integer judged = null;
        Integer drifted = null;
        Double share = null;
        Boolean datasetDrift = null;
        long samples = 0;
        long late = 0;
        if (window != null && profile != null && window.width() == profile.width()) {
            start = window.startMillis();
            end = window.endMillis();
            samples = window.windowEvents();
            late = window.late();
            WindowEvaluator.DriftEvaluation e = WindowEvaluator.evaluate(profile, window.counts(), policy);
            features = new LinkedHashMap<>(e.features());
            prediction = features.remove(ReferenceProfile.PREDICTION);
            judged = e.judged();
            drifted = e.drifted();
            share = e.shareDrifted();
            datasetDrift = judged > 0 ? e.datasetDrift() : null;
            metrics.version(model, version, "flywheel.monitor.window.predictions", samples);
            if (judged > 0) {
                metrics.version(model, version, "flywheel.monitor.drift.share", share);
            }
            features.forEach((name, f) -> {
                if (!f.decidedBy().isEmpty()) {
                    String test = f.decidedBy().get(0);
                    metrics.feature(model, version, name, test, f.tests().get(test).statistic());
                }
            });
            conditions.add(driftCondition(e.features(), features, share, datasetDrift, samples));
        }

        QualityStats stats = QualityStats.empty();
        Map<String, Map<String, Object>> concept = new LinkedHashMap<>();
        long[] lastDrift = {Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE};
        boolean driftBounds = start != Long.MAX_VALUE;
        for (QualityWindow q : qualityWindows) {
            stats = stats.add(q.stats());
            if (!driftBounds) { // the window is the drift window's when there is one
                start = Math.min(start, q.startMillis());
                end = Math.max(end, q.endMillis());
            }
            for (int i = 0; i < lastDrift.length; i++) {
                lastDrift[i] = Math.max(lastDrift[i], q.lastDrift()[i]);
            }
        }
        Map<String, Double> qualityValues = qualityMetrics(stats);
        qualityValues.forEach((metric, value) -> metrics.quality(model, version, metric, value));
        long labelled = stats.labelled();
        if (labelled > 0) {
            boolean enough = labelled >= policy.minLabelledOrDefault();
            if (policy.quality() != null) {
                policy.quality().forEach((metric, bounds) -> {
                    Double value = qualityValues.get(metric);
                    if (value != null) {
                        conditions.add(new Alerts.Condition("quality", metric, enough ? bounds.breached(value) : null, metric,
                                value, bounds.threshold(), labelled, Map.of("metric", metric, "value", value,
                                "labelled", labelled)));
                    }
                });
            }
            double error = qualityValues.containsKey("mae") ? qualityValues.get("mae") : 1 - qualityValues.getOrDefault("accuracy", 1.0);
            for (int i = 0; i < QualityWindow.DETECTORS.length; i++) {
                boolean active = lastDrift[i] != Long.MIN_VALUE && lastDrift[i] >= start;
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("state", active ? "drift" : "none");
                if (lastDrift[i] != Long.MIN_VALUE) {
                    d.put("last_drift_at", Instant.ofEpochMilli(lastDrift[i]).toString());
                }
                concept.put(QualityWindow.DETECTORS[i], d);
                if (policy.conceptDriftOrDefault()) {
                    conditions.add(new Alerts.Condition("concept", QualityWindow.DETECTORS[i], active, QualityWindow.DETECTORS[i],
                            error, 0.0, stats.labelled(), Map.copyOf(d)));
                }
            }
        }
        if (start == Long.MAX_VALUE || start > end) {
            return Uni.createFrom().voidItem(); // a version without reference and without labels: nothing to judge yet
        }
        Instant windowStart = Instant.ofEpochMilli(start);
        Instant windowEnd = Instant.ofEpochMilli(end);
        WindowResult result = new WindowResult(model, version, windowStart, windowEnd, now, samples, stats.labelled(), judged,
                drifted, share, datasetDrift, features, prediction, qualityValues, concept, late);
        return results.save(result).chain(() -> alerts.publish(model, version, conditions, windowStart, windowEnd))
                .replaceWithVoid();
    }

    private static Alerts.Condition driftCondition(Map<String, FeatureEvaluation> all, Map<String, FeatureEvaluation> inputs,
                                                   Double share, Boolean datasetDrift, long samples) {
        List<String> driftedFeatures = new ArrayList<>();
        Map<String, Object> evidence = new LinkedHashMap<>();
        Map<String, Object> perFeature = new LinkedHashMap<>();
        all.forEach((name, f) -> {
            if (Boolean.TRUE.equals(f.drift())) {
                if (inputs.containsKey(name)) {
                    driftedFeatures.add(name);
                }
                Map<String, Object> tests = new LinkedHashMap<>();
                for (String t : f.decidedBy()) {
                    tests.put(t, testEvidence(f.tests().get(t)));
                }
                perFeature.put(name, Map.of("samples", f.samples(), "reference_samples", f.referenceSamples(), "tests", tests));
            }
        });
        evidence.put("drifted_features", driftedFeatures);
        evidence.put("features", perFeature);
        evidence.put("samples", samples);
        return new Alerts.Condition("drift", "dataset", datasetDrift, "share_drifted", share == null ? 0 : share, 0,
                samples, evidence);
    }

    private static Map<String, Object> testEvidence(TestOutcome t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("statistic", t.statistic());
        if (t.pvalue() != null) {
            m.put("pvalue", t.pvalue());
        }
        m.put("threshold", t.threshold());
        if (t.statisticLower() != null) {
            m.put("statistic_lower", t.statisticLower());
            m.put("statistic_upper", t.statisticUpper());
        }
        return m;
    }

    /** The quality metrics the window has data for (no NaN: undefined metrics are left out). */
    static Map<String, Double> qualityMetrics(QualityStats s) {
        Map<String, Double> m = new LinkedHashMap<>();
        if (s.confusion().total() > 0) {
            m.put("accuracy", s.confusion().accuracy());
            m.put("precision", s.confusion().precision());
            m.put("recall", s.confusion().recall());
            m.put("f1", s.confusion().f1());
            putFinite(m, "roc_auc", s.auc());
            putFinite(m, "roc_auc_bound", s.aucBound());
            if (s.logLoss().count() > 0) {
                putFinite(m, "log_loss", s.logLoss().mean());
            }
        } else if (s.regression().count() == 0 && s.labelled() > 0) {
            m.put("accuracy", (double) s.hits() / s.labelled());
        }
        if (s.regression().count() > 0) {
            putFinite(m, "mae", s.regression().mae());
            putFinite(m, "rmse", s.regression().rmse());
            putFinite(m, "mape", s.regression().mape());
            putFinite(m, "r2", s.regression().r2());
        }
        return m;
    }

    private static void putFinite(Map<String, Double> m, String k, double v) {
        if (Double.isFinite(v)) {
            m.put(k, v);
        }
    }
}
