package io.flywheel.deploy.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.deploy.prompt.PromptJudge;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class MonitorScoresTest {

    @Test
    void bucketsAddUpPerVersionOfThePromptWithCountWeightedMeans() throws Exception {
        var series = new ObjectMapper().readTree("""
                {"name": "helpful", "group_by": "prompt", "series": [
                  {"group": "answer v1", "prompt_name": "answer", "prompt_version": 1, "points": [
                     {"start": "t0", "count": 3, "mean": 1.0}, {"start": "t1", "count": 0, "mean": null}, {"start": "t2", "count": 1, "mean": 0.0}]},
                  {"group": "answer v2", "prompt_name": "answer", "prompt_version": 2, "points": [
                     {"start": "t0", "count": 2, "mean": 0.5}]},
                  {"group": "other v2", "prompt_name": "other", "prompt_version": 2, "points": [{"start": "t0", "count": 9, "mean": 0.1}]},
                  {"group": "answer v3", "prompt_name": "answer", "prompt_version": 3, "points": [{"start": "t0", "count": 0, "mean": null}]}]}
                """);
        var totals = MonitorScores.totals(series, "answer");
        assertThat(totals.get(1)).isEqualTo(new PromptJudge.VersionScores(1, 4, 0.75));
        assertThat(totals.get(2)).isEqualTo(new PromptJudge.VersionScores(2, 2, 0.5));
        assertThat(totals.get(3)).isEqualTo(new PromptJudge.VersionScores(3, 0, null));
        assertThat(totals).hasSize(3);
    }

    @Test
    void theIntervalKeepsTheSeriesWithinTheMonitorsBucketLimit() {
        Instant from = Instant.parse("2026-12-07T00:00:00Z");
        assertThat(MonitorScores.interval(from, from.plusSeconds(30))).isEqualTo(Duration.ofMinutes(1));
        Duration week = MonitorScores.interval(from, from.plus(Duration.ofDays(7)));
        assertThat(Duration.ofDays(7).toSeconds() / week.toSeconds()).isLessThanOrEqualTo(1000);
    }
}
