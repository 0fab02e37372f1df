package io.flywheel.monitor.llm.query;

import java.time.Instant;
import java.util.List;

/** What the read APIs filter on; null (or empty) means no filter. Every filter holds a project when the caller is scoped to one. */
public final class Filters {

    private Filters() {
    }

    public record Traces(String project, Instant from, Instant to, String name, String userId, String sessionId,
                         List<String> tags, String release, String version, List<String> environments, String model,
                         Double minCost, Double maxCost, Double minLatencyMs, Double maxLatencyMs) {
    }

    public record Observations(String project, String traceId, String type, String name, String level, String model,
                               String parentObservationId, String userId, List<String> environments, String version,
                               Instant fromStart, Instant toStart) {
    }

    public record Scores(String project, String traceId, String observationId, String sessionId, String datasetRunId,
                         String name, String source, String dataType, String configId, List<String> environments,
                         String userId, Instant from, Instant to, List<String> ids) {
    }

    public record Sessions(String project, Instant from, Instant to, List<String> environments) {
    }
}
