package io.flywheel.deploy.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import io.flywheel.deploy.CallerContext;
import io.flywheel.deploy.prompt.PromptJudge;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * One online score's totals per version of a prompt over a stretch of time, from the monitor's score
 * series grouped by prompt: the buckets' counts added up and their means weighted by their counts.
 */
@ApplicationScoped
public class MonitorScores {

    /** The monitor serves at most 1,000 buckets of at least a minute; 500 leaves room. */
    private static final long BUCKETS = 500;

    private final MonitorApi monitor;

    public MonitorScores(@RestClient MonitorApi monitor) {
        this.monitor = monitor;
    }

    /** The score's totals by prompt version over [from, to); fails when the monitor can't be asked (the judge then waits). */
    public Uni<Map<Integer, PromptJudge.VersionScores>> byVersion(String project, String prompt, String scoreName, Instant from,
                                                                 Instant to) {
        return CallerContext.resume(monitor.scoreSeries(project, scoreName, "prompt", interval(from, to).toString(), from.toString(),
                        to.toString())
                .ifNoItem().after(Duration.ofSeconds(5)).fail()
                .map(series -> totals(series, prompt)));
    }

    /** Whole seconds, at least a minute, at most {@link #BUCKETS} buckets over the span. */
    static Duration interval(Instant from, Instant to) {
        long seconds = Math.max(60, (Duration.between(from, to).toSeconds() + BUCKETS - 1) / BUCKETS + 1);
        return Duration.ofSeconds(seconds);
    }

    /** Per version of {@code prompt}: the count of scores and the count-weighted mean of the buckets' means. */
    public static Map<Integer, PromptJudge.VersionScores> totals(JsonNode series, String prompt) {
        Map<Integer, PromptJudge.VersionScores> out = new HashMap<>();
        for (JsonNode group : series.path("series")) {
            if (!prompt.equals(group.path("prompt_name").asText(null)) || !group.path("prompt_version").canConvertToInt()) {
                continue;
            }
            int version = group.path("prompt_version").asInt();
            long count = 0;
            double sum = 0;
            for (JsonNode point : group.path("points")) {
                if (point.path("mean").isNumber() && point.path("count").asLong() > 0) {
                    count += point.path("count").asLong();
                    sum += point.path("mean").asDouble() * point.path("count").asLong();
                }
            }
            out.put(version, new PromptJudge.VersionScores(version, count, count == 0 ? null : sum / count));
        }
        return out;
    }
}
