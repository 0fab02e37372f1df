package io.flywheel.monitor.llm.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.flywheel.monitor.llm.score.ScoreGroup;
import io.flywheel.monitor.llm.score.ScoreMonitorPolicy;
import io.flywheel.monitor.llm.score.ScoreSeries;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Flywheel's bodies for score configs, series and monitors (snake_case; nulls written where the contract has them). */
public final class ScoreViews {

    private ScoreViews() {
    }

    public record ConfigPage(List<io.flywheel.monitor.llm.score.ScoreConfig> items, int page, int limit, long total) {
    }

    /** {@code GET /api/v1/llm/scores/series}: the contract the dashboard charts read. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Series(String name, String groupBy, String interval, Instant from, Instant to, List<Group> series) {

        static Series of(ScoreSeries.Request r, List<ScoreSeries.Series> series) {
            return new Series(r.name(), r.groupBy().value(), r.interval().toString(), r.from(), r.to(),
                    series.stream().map(Group::of).toList());
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Group(String group, String promptName, Integer promptVersion, String model, List<Point> points) {

        static Group of(ScoreSeries.Series s) {
            ScoreGroup g = s.group();
            return new Group(g.label(), g.promptName(), g.promptVersion(), g.model(),
                    s.points().stream().map(p -> new Point(p.start(), p.count(), p.mean(), p.categories())).toList());
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Point(Instant start, long count, Double mean, Map<String, Long> categories) {
    }

    /** {@code PUT /api/v1/llm/score-monitors}: window is ISO-8601 (PT1H); absent fields take their defaults. */
    public record MonitorRequest(String scoreName, String groupBy, String window, Integer minCount, Double minMean, Double maxDrop,
                                 Double driftAlpha, String baseline, Integer lookbackWindows) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Monitor(String project, String scoreName, String groupBy, String window, int minCount, Double minMean,
                          Double maxDrop, Double driftAlpha, String baseline, int lookbackWindows) {

        static Monitor of(ScoreMonitorPolicy p) {
            return new Monitor(p.project(), p.scoreName(), p.groupBy().value(), p.window().toString(), p.minCount(), p.minMean(),
                    p.maxDrop(), p.driftAlpha(), p.baseline().value(), p.lookbackWindows());
        }
    }

    static Duration duration(String name, String value, Duration fallback, Params params) {
        if (Params.blank(value)) {
            return fallback;
        }
        try {
            return Duration.parse(value.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw params.bad(name + " must be an ISO-8601 duration (PT1H, PT15M), was '" + value + "'");
        }
    }
}
