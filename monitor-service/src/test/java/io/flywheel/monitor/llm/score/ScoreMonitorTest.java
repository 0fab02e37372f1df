package io.flywheel.monitor.llm.score;

import io.flywheel.monitor.llm.score.ScoreMonitor.Degradation;
import io.flywheel.monitor.llm.score.ScoreMonitor.Sample;
import io.flywheel.monitor.llm.score.ScoreMonitorPolicy.Baseline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Windows of one hour; "now" is 03:10, so the windows over are 00:00, 01:00 and 02:00. P-values are scipy's. */
class ScoreMonitorTest {

    private static final Instant H0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant NOW = H0.plus(Duration.ofMinutes(190));
    private static final ScoreGroup V1 = new ScoreGroup("summarize", 1, null);
    private static final ScoreGroup V2 = new ScoreGroup("summarize", 2, null);

    private static final double[] HIGH = {0.9, 0.8, 0.85, 0.95, 0.9, 0.88, 0.92, 0.87};
    private static final double[] LOW = {0.5, 0.4, 0.6, 0.55, 0.45, 0.5, 0.52, 0.48};
    private static final double[] STILL_HIGH = {0.88, 0.9, 0.86, 0.93, 0.91, 0.84, 0.89, 0.9};

    private static ScoreMonitorPolicy policy(Double minMean, Double maxDrop, Double alpha, Baseline baseline) {
        return new ScoreMonitorPolicy("p", "quality", ScoreGroup.By.PROMPT, Duration.ofHours(1), 5, minMean, maxDrop, alpha, baseline, 24);
    }

    private static List<Sample> numeric(ScoreGroup g, int hour, double... values) {
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            out.add(new Sample(g, H0.plus(Duration.ofHours(hour)).plusSeconds(60L * i), "NUMERIC", values[i], null));
        }
        return out;
    }

    private static List<Sample> labels(ScoreGroup g, int hour, String type, Map<String, Integer> counts) {
        List<Sample> out = new ArrayList<>();
        counts.forEach((label, n) -> {
            for (int i = 0; i < n; i++) {
                Double value = "BOOLEAN".equals(type) ? Double.valueOf(label) : null;
                out.add(new Sample(g, H0.plus(Duration.ofHours(hour)).plusSeconds(i), type, value, "BOOLEAN".equals(type) ? null : label));
            }
        });
        return out;
    }

    private static List<Sample> all(List<List<Sample>> parts) {
        return parts.stream().flatMap(List::stream).toList();
    }

    @Test
    void aMeanBelowTheThresholdDegradesItsWindowOnly() {
        List<Degradation> d = ScoreMonitor.evaluate(policy(0.7, null, null, Baseline.PREVIOUS_WINDOW),
                all(List.of(numeric(V1, 0, HIGH), numeric(V1, 1, LOW), numeric(V1, 2, STILL_HIGH))), NOW);
        assertThat(d).hasSize(1);
        assertThat(d.getFirst().windowStart()).isEqualTo(H0.plus(Duration.ofHours(1)));
        assertThat(d.getFirst().windowEnd()).isEqualTo(H0.plus(Duration.ofHours(2)));
        assertThat(d.getFirst().metric()).isEqualTo("score_mean");
        assertThat(d.getFirst().value()).isCloseTo(0.5, within(1e-12));
        assertThat(d.getFirst().samples()).isEqualTo(8);
    }

    @Test
    void aDropAgainstThePreviousWindowAndItsKsDriftAreReported() {
        List<Degradation> d = ScoreMonitor.evaluate(policy(null, 0.2, 0.01, Baseline.PREVIOUS_WINDOW),
                all(List.of(numeric(V1, 0, HIGH), numeric(V1, 1, LOW))), NOW);
        assertThat(d).hasSize(1);
        Degradation drop = d.getFirst();
        assertThat(drop.metric()).isEqualTo("score_mean_drop");
        // means 0.88375 and 0.5
        assertThat(drop.value()).isCloseTo(0.38375, within(1e-12));
        assertThat(drop.evidence()).containsEntry("failed", List.of("score_mean_drop", "score_drift"))
                .containsEntry("drift_test", "ks");
        // scipy.stats.ks_2samp(HIGH, LOW): statistic 1.0, p 0.00015540015540015537 (exact)
        assertThat((Double) drop.evidence().get("drift_statistic")).isEqualTo(1.0);
        assertThat((Double) drop.evidence().get("drift_p_value")).isCloseTo(0.00015540015540015537, within(1e-15));
    }

    @Test
    void aWindowLikeItsBaselineAndAWindowNotYetOverAreNotDegraded() {
        // ks_2samp(HIGH, STILL_HIGH): p 1.0; the 03:00 window is not over at 03:10
        List<Degradation> d = ScoreMonitor.evaluate(policy(0.7, 0.2, 0.01, Baseline.PREVIOUS_WINDOW),
                all(List.of(numeric(V1, 0, HIGH), numeric(V1, 1, STILL_HIGH), numeric(V1, 3, LOW))), NOW);
        assertThat(d).isEmpty();
    }

    @Test
    void aRiseIsNoDegradationEvenWhenItDrifts() {
        List<Degradation> d = ScoreMonitor.evaluate(policy(null, null, 0.01, Baseline.PREVIOUS_WINDOW),
                all(List.of(numeric(V1, 0, LOW), numeric(V1, 1, HIGH))), NOW);
        assertThat(d).isEmpty();
    }

    @Test
    void tooFewScoresAreNotJudgedNorUsedAsBaseline() {
        List<Degradation> d = ScoreMonitor.evaluate(policy(0.7, 0.2, null, Baseline.PREVIOUS_WINDOW),
                all(List.of(numeric(V1, 0, 0.9, 0.9, 0.9), numeric(V1, 1, 0.1, 0.1, 0.1, 0.1))), NOW);
        assertThat(d).isEmpty();
    }

    @Test
    void aNewPromptVersionIsComparedWithThePreviousVersion() {
        List<Degradation> d = ScoreMonitor.evaluate(policy(null, 0.2, null, Baseline.PREVIOUS_VERSION),
                all(List.of(numeric(V1, 0, HIGH), numeric(V2, 2, LOW))), NOW);
        assertThat(d).hasSize(1);
        assertThat(d.getFirst().group()).isEqualTo(V2);
        assertThat(d.getFirst().windowStart()).isEqualTo(H0.plus(Duration.ofHours(2)));
        @SuppressWarnings("unchecked")
        Map<String, Object> baseline = (Map<String, Object>) d.getFirst().evidence().get("baseline");
        assertThat(baseline).containsEntry("window_start", H0.toString()).containsEntry("count", 8L);
    }

    @Test
    void booleanScoresDriftByChiSquare() {
        // scipy.stats.chisquare([12, 8], [2, 18]): statistic 55.55555555555556, p 9.08547022400831e-14
        List<Degradation> d = ScoreMonitor.evaluate(policy(null, null, 0.01, Baseline.PREVIOUS_WINDOW),
                all(List.of(labels(V1, 0, "BOOLEAN", Map.of("0", 2, "1", 18)), labels(V1, 1, "BOOLEAN", Map.of("0", 12, "1", 8)))), NOW);
        assertThat(d).hasSize(1);
        assertThat(d.getFirst().metric()).isEqualTo("score_drift");
        assertThat(d.getFirst().evidence()).containsEntry("drift_test", "chi_square");
        assertThat((Double) d.getFirst().evidence().get("drift_statistic")).isCloseTo(55.55555555555556, within(1e-9));
        assertThat(d.getFirst().value()).isCloseTo(9.08547022400831e-14, within(1e-20));
    }

    @Test
    void categoricalScoresDriftByChiSquareOverTheBaselinesCategories() {
        // categories in order bad, good, ok; scipy.stats.chisquare([14, 1, 5], [5, 5, 10]): 21.9, p 1.755801530110587e-05
        List<Degradation> d = ScoreMonitor.evaluate(policy(null, null, 0.01, Baseline.PREVIOUS_WINDOW),
                all(List.of(labels(V1, 0, "CATEGORICAL", Map.of("bad", 10, "good", 10, "ok", 20)),
                        labels(V1, 1, "CATEGORICAL", Map.of("bad", 14, "good", 1, "ok", 5, "new", 3)))), NOW);
        assertThat(d).hasSize(1);
        assertThat((Double) d.getFirst().evidence().get("drift_statistic")).isCloseTo(21.9, within(1e-9));
        assertThat(d.getFirst().value()).isCloseTo(1.755801530110587e-05, within(1e-12));
        assertThat(d.getFirst().samples()).isEqualTo(23);
    }

    @Test
    void policiesSayWhatIsWrong() {
        ScoreMonitorPolicy bad = new ScoreMonitorPolicy("p", "", ScoreGroup.By.MODEL, Duration.ofSeconds(30), 0, null, null, null,
                Baseline.PREVIOUS_VERSION, 0);
        assertThat(bad.problems()).containsExactly("score_name is required", "window must be at least PT1M, was PT30S",
                "min_count must be at least 1, was 0", "lookback_windows must be in [1, 1000], was 0",
                "set at least one of min_mean, max_drop or drift_alpha", "baseline previous_version needs group_by prompt");
        assertThat(policy(0.5, 0.1, 0.05, Baseline.PREVIOUS_VERSION).problems()).isEmpty();
    }
}
