package io.flywheel.monitor.llm.score;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How one score's distribution is watched in a project, per prompt version or per model: in windows
 * of {@code window} (aligned to the epoch), each judged once it is over and holds at least
 * {@code minCount} scores, for the last {@code lookbackWindows} windows. A window degrades when its
 * mean is below {@code minMean}, when its mean fell by more than {@code maxDrop} against the
 * baseline, or when its distribution drifted from the baseline's at significance {@code driftAlpha}
 * (each check only when set). The baseline is the same group's previous window
 * ({@code previous_window}) or, grouped by prompt, the latest window of the prompt's previous version
 * that holds {@code minCount} scores ({@code previous_version}).
 */
public record ScoreMonitorPolicy(String project, String scoreName, ScoreGroup.By groupBy, Duration window, int minCount,
                                 Double minMean, Double maxDrop, Double driftAlpha, Baseline baseline, int lookbackWindows) {

    public static final Duration MIN_WINDOW = Duration.ofMinutes(1);
    public static final int MAX_LOOKBACK = 1000;

    public enum Baseline {
        PREVIOUS_WINDOW, PREVIOUS_VERSION;

        public static Baseline parse(String value) {
            if (value == null || "previous_window".equals(value)) {
                return PREVIOUS_WINDOW;
            }
            if ("previous_version".equals(value)) {
                return PREVIOUS_VERSION;
            }
            throw new IllegalArgumentException("baseline must be 'previous_window' or 'previous_version', was '" + value + "'");
        }

        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The policy's problems, each a sentence; empty when it can be used. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (scoreName == null || scoreName.isBlank()) {
            out.add("score_name is required");
        }
        if (window.compareTo(MIN_WINDOW) < 0) {
            out.add("window must be at least PT1M, was " + window);
        }
        if (minCount < 1) {
            out.add("min_count must be at least 1, was " + minCount);
        }
        if (lookbackWindows < 1 || lookbackWindows > MAX_LOOKBACK) {
            out.add("lookback_windows must be in [1, " + MAX_LOOKBACK + "], was " + lookbackWindows);
        }
        if (minMean == null && maxDrop == null && driftAlpha == null) {
            out.add("set at least one of min_mean, max_drop or drift_alpha");
        }
        if (minMean != null && !Double.isFinite(minMean)) {
            out.add("min_mean must be a finite number");
        }
        if (maxDrop != null && !(maxDrop >= 0 && Double.isFinite(maxDrop))) {
            out.add("max_drop must be a finite number >= 0, was " + maxDrop);
        }
        if (driftAlpha != null && !(driftAlpha > 0 && driftAlpha < 1)) {
            out.add("drift_alpha must be in (0, 1), was " + driftAlpha);
        }
        if (baseline == Baseline.PREVIOUS_VERSION && groupBy != ScoreGroup.By.PROMPT) {
            out.add("baseline previous_version needs group_by prompt");
        }
        return out;
    }
}
