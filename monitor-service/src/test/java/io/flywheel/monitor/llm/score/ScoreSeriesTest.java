package io.flywheel.monitor.llm.score;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ScoreSeriesTest {

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    @Test
    void everyBucketGetsAPointWithCountMeanAndCategories() {
        ScoreGroup v9 = new ScoreGroup("chat", 9, null);
        ScoreGroup v10 = new ScoreGroup("chat", 10, null);
        var r = new ScoreSeries.Request("p", "q", ScoreGroup.By.PROMPT, Duration.ofHours(1), T0, T0.plus(Duration.ofHours(3)));
        List<ScoreSeries.Series> s = ScoreSeries.assemble(r, List.of(
                new ScoreSeries.Cell(v10, T0, null, 4, 4, 3.0),
                new ScoreSeries.Cell(v9, T0.plus(Duration.ofHours(2)), null, 2, 2, 1.0),
                new ScoreSeries.Cell(v9, T0.plus(Duration.ofHours(2)), "good", 3, 0, 0),
                new ScoreSeries.Cell(v9, T0.plus(Duration.ofHours(2)), "bad", 1, 0, 0)));
        assertThat(s).extracting(x -> x.group().label()).containsExactly("chat v9", "chat v10");
        assertThat(s.getFirst().points()).containsExactly(
                new ScoreSeries.Point(T0, 0, null, null),
                new ScoreSeries.Point(T0.plus(Duration.ofHours(1)), 0, null, null),
                new ScoreSeries.Point(T0.plus(Duration.ofHours(2)), 6, 0.5, Map.of("bad", 1L, "good", 3L)));
        assertThat(s.get(1).points().getFirst()).isEqualTo(new ScoreSeries.Point(T0, 4, 0.75, null));
    }

    @Test
    void intervalAndBucketsAreBounded() {
        assertThat(ScoreSeries.problem(Duration.ofSeconds(59), T0, T0.plusSeconds(3600))).isEqualTo("interval must be at least PT1M, was PT59S");
        assertThat(ScoreSeries.problem(Duration.ofMinutes(1), T0, T0.plus(Duration.ofMinutes(1000)))).isNull();
        assertThat(ScoreSeries.problem(Duration.ofMinutes(1), T0, T0.plus(Duration.ofMinutes(1001))))
                .isEqualTo("from, to and interval make 1001 buckets, at most 1000 are served: widen the interval");
        assertThat(ScoreSeries.problem(Duration.ofHours(1), T0, T0)).contains("must be after");
    }
}
