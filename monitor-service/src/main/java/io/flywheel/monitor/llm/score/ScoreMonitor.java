package io.flywheel.monitor.llm.score;

import io.flywheel.monitor.drift.ChiSquare;
import io.flywheel.monitor.drift.ChiSquareResult;
import io.flywheel.monitor.drift.KolmogorovSmirnov;
import io.flywheel.monitor.drift.KsResult;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Judges the windows of a {@link ScoreMonitorPolicy} from the scores in them: one verdict per group and
 * window at most, naming the first check that failed (mean below threshold, then drop against the
 * baseline, then drift) with every failed check in its evidence. Drift is the existing tests of the
 * drift package: two-sample KS for NUMERIC scores, chi-square over the baseline's categories for
 * BOOLEAN and CATEGORICAL ones. A drift of numeric or boolean scores counts only when their mean went
 * down (a rise is no degradation); categorical scores have no order, so any drift counts.
 */
public final class ScoreMonitor {

    /** A score as the monitor sees it: its group, time, type, value and (categorical) label. */
    public record Sample(ScoreGroup group, Instant time, String dataType, Double value, String label) {
    }

    /** A degraded window of one group. */
    public record Degradation(ScoreGroup group, Instant windowStart, Instant windowEnd, String metric, double value,
                              double threshold, long samples, Map<String, Object> evidence) {
    }

    /** The scores of one group in one window. */
    record Window(Instant start, List<Sample> samples) {
        long count() {
            return samples.size();
        }

        boolean categorical() {
            return samples.stream().allMatch(s -> "CATEGORICAL".equals(s.dataType()));
        }

        boolean bool() {
            return samples.stream().allMatch(s -> "BOOLEAN".equals(s.dataType()));
        }

        /** Mean of the numeric and boolean values; null when there are none. */
        Double mean() {
            double sum = 0;
            long n = 0;
            for (Sample s : samples) {
                if (!"CATEGORICAL".equals(s.dataType()) && s.value() != null) {
                    sum += s.value();
                    n++;
                }
            }
            return n == 0 ? null : sum / n;
        }

        double[] values() {
            return samples.stream().filter(s -> s.value() != null && !"CATEGORICAL".equals(s.dataType()))
                    .mapToDouble(Sample::value).toArray();
        }

        /** Counts by category: the label of a categorical score, 0/1 of a boolean one. */
        Map<String, Long> categories() {
            Map<String, Long> out = new TreeMap<>();
            for (Sample s : samples) {
                String k = "CATEGORICAL".equals(s.dataType()) ? s.label() : s.value() == null ? null : Double.toString(s.value());
                if (k != null) {
                    out.merge(k, 1L, Long::sum);
                }
            }
            return out;
        }
    }

    private ScoreMonitor() {
    }

    /** The first window the policy judges at {@code now}: {@code lookbackWindows} before the last one that is over. */
    public static Instant firstWindow(ScoreMonitorPolicy p, Instant now) {
        return windowStart(now, p.window()).minus(p.window().multipliedBy(p.lookbackWindows()));
    }

    /** Where the scores to read start: a baseline can lie up to {@code lookbackWindows} before the first judged window. */
    public static Instant readFrom(ScoreMonitorPolicy p, Instant now) {
        return firstWindow(p, now).minus(p.window().multipliedBy(p.lookbackWindows()));
    }

    static Instant windowStart(Instant t, Duration window) {
        long w = window.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), w) * w);
    }

    /** The degraded windows among those that ended at or before {@code now}, within the policy's lookback. */
    public static List<Degradation> evaluate(ScoreMonitorPolicy p, List<Sample> samples, Instant now) {
        Map<ScoreGroup, Map<Instant, List<Sample>>> windows = new HashMap<>();
        for (Sample s : samples) {
            windows.computeIfAbsent(s.group(), g -> new TreeMap<>())
                    .computeIfAbsent(windowStart(s.time(), p.window()), w -> new ArrayList<>()).add(s);
        }
        Instant first = firstWindow(p, now);
        Instant lastEnd = windowStart(now, p.window());
        List<Degradation> out = new ArrayList<>();
        for (ScoreGroup g : windows.keySet().stream().sorted(ScoreGroup.ORDER).toList()) {
            for (Map.Entry<Instant, List<Sample>> e : windows.get(g).entrySet()) {
                Instant start = e.getKey();
                if (start.isBefore(first) || start.plus(p.window()).isAfter(lastEnd)) {
                    continue;
                }
                Window w = new Window(start, e.getValue());
                if (w.count() < p.minCount()) {
                    continue;
                }
                Window baseline = baseline(p, g, start, windows);
                Degradation d = judge(p, g, w, baseline);
                if (d != null) {
                    out.add(d);
                }
            }
        }
        return out;
    }

    private static Window baseline(ScoreMonitorPolicy p, ScoreGroup g, Instant start, Map<ScoreGroup, Map<Instant, List<Sample>>> windows) {
        if (p.baseline() == ScoreMonitorPolicy.Baseline.PREVIOUS_WINDOW) {
            Instant previous = start.minus(p.window());
            List<Sample> s = windows.get(g).get(previous);
            return s != null && s.size() >= p.minCount() ? new Window(previous, s) : null;
        }
        // the prompt's highest lower version, its latest window up to this one with enough scores
        ScoreGroup best = null;
        for (ScoreGroup other : windows.keySet()) {
            if (g.promptName() != null && g.promptName().equals(other.promptName()) && other.promptVersion() < g.promptVersion()
                    && (best == null || other.promptVersion() > best.promptVersion())) {
                best = other;
            }
        }
        if (best == null) {
            return null;
        }
        Window latest = null;
        for (Map.Entry<Instant, List<Sample>> e : windows.get(best).entrySet()) {
            if (!e.getKey().isAfter(start) && e.getValue().size() >= p.minCount()) {
                latest = new Window(e.getKey(), e.getValue());
            }
        }
        return latest;
    }

    static Degradation judge(ScoreMonitorPolicy p, ScoreGroup g, Window w, Window baseline) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        List<Object[]> failed = new ArrayList<>();
        Double mean = w.mean();
        Double baselineMean = baseline == null ? null : baseline.mean();
        evidence.put("count", w.count());
        putIfSet(evidence, "mean", mean);
        if (baseline != null) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("window_start", baseline.start().toString());
            b.put("count", baseline.count());
            putIfSet(b, "mean", baselineMean);
            evidence.put("baseline", b);
        }
        if (p.minMean() != null && mean != null && mean < p.minMean()) {
            failed.add(new Object[]{"score_mean", mean, p.minMean()});
        }
        if (p.maxDrop() != null && mean != null && baselineMean != null && baselineMean - mean > p.maxDrop()) {
            failed.add(new Object[]{"score_mean_drop", baselineMean - mean, p.maxDrop()});
        }
        if (p.driftAlpha() != null && baseline != null) {
            Double pValue = driftPValue(w, baseline, evidence);
            boolean wentDown = w.categorical() || mean != null && baselineMean != null && mean < baselineMean;
            if (pValue != null && pValue < p.driftAlpha() && wentDown) {
                failed.add(new Object[]{"score_drift", pValue, p.driftAlpha()});
            }
        }
        if (failed.isEmpty()) {
            return null;
        }
        evidence.put("failed", failed.stream().map(f -> f[0]).toList());
        Object[] first = failed.getFirst();
        return new Degradation(g, w.start(), w.start().plus(p.window()), (String) first[0], (Double) first[1], (Double) first[2],
                w.count(), evidence);
    }

    /** Evidence leaves out what is unknown (event maps hold no nulls). */
    private static void putIfSet(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    /** KS for numeric scores, chi-square for boolean and categorical ones; null when the test can't be made. */
    private static Double driftPValue(Window w, Window baseline, Map<String, Object> evidence) {
        if (!w.categorical() && !w.bool() && !baseline.categorical() && !baseline.bool()) {
            double[] ref = baseline.values();
            double[] cur = w.values();
            if (ref.length == 0 || cur.length == 0) {
                return null;
            }
            KsResult ks = KolmogorovSmirnov.test(ref, cur);
            evidence.put("drift_test", "ks");
            evidence.put("drift_statistic", ks.statistic());
            evidence.put("drift_p_value", ks.pValue());
            return ks.pValue();
        }
        Map<String, Long> ref = baseline.categories();
        Map<String, Long> cur = w.categories();
        if (ref.size() < 2) {
            return null;
        }
        long[] r = new long[ref.size()];
        long[] c = new long[ref.size()];
        int i = 0;
        for (Map.Entry<String, Long> e : ref.entrySet()) {
            r[i] = e.getValue();
            c[i++] = cur.getOrDefault(e.getKey(), 0L);
        }
        if (java.util.Arrays.stream(c).sum() == 0) {
            return null;
        }
        ChiSquareResult chi = ChiSquare.test(r, c);
        evidence.put("drift_test", "chi_square");
        evidence.put("drift_statistic", chi.statistic());
        evidence.put("drift_p_value", chi.pValue());
        return chi.pValue();
    }
}
