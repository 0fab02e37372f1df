package io.flywheel.monitor.llm.rest;

import io.flywheel.monitor.llm.Rows;
import io.flywheel.monitor.llm.tree.Node;
import io.flywheel.monitor.llm.tree.Trees;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Flywheel's views of traces (snake_case like the rest of the API; absent rather than null). */
public final class Views {

    private Views() {
    }

    /** One page and the cursor of the next (null on the last). */
    public record Page<T>(List<T> items, String nextCursor) {
    }

    public record Totals(Long inputTokens, Long outputTokens, Long totalTokens, Double totalCost) {
    }

    public record Trace(String project, String id, Instant timestamp, String name, String userId, String sessionId,
                        String release, String version, String environment, List<String> tags, Boolean isPublic,
                        Object input, Object output, Object metadata, Instant startTime, Instant endTime, Double latencyMs,
                        int observationCount, Totals totals, List<String> models, Instant createdAt, Instant updatedAt,
                        List<Observation> observations, List<Score> scores) {

        static Trace of(Rows.Trace t, List<Observation> tree, List<Score> scores) {
            return new Trace(t.project(), t.id(), t.time(), t.name(), t.userId(), t.sessionId(), t.release(), t.version(),
                    t.environment(), t.tags() == null ? List.of() : t.tags(), t.isPublic(), t.input(), t.output(), t.metadata(),
                    t.observationsStart(), t.observationsEnd(), t.latencyMs(), t.observationCount(),
                    new Totals(t.inputTokens(), t.outputTokens(), t.totalTokens(), t.totalCost()),
                    t.models() == null ? List.of() : t.models(), t.createdAt(), t.updatedAt(), tree, scores);
        }
    }

    /**
     * An observation; in a trace's tree, with its children and the totals of its subtree. Cost: {@code cost_details}
     * as the client gave it, {@code calculated_cost_details} from the price table (only when the client gave none),
     * {@code total_cost} the one that applies and {@code cost_source} which it is ("given" or "calculated").
     */
    public record Observation(String project, String id, String traceId, String type, String parentObservationId, String name,
                              Instant startTime, Instant endTime, Instant completionStartTime, Double latencyMs,
                              Double timeToFirstTokenMs, String model, Object modelParameters, Object input, Object output,
                              Object metadata, String level, String statusMessage, String version, String environment,
                              Map<String, Object> usageDetails, Long inputTokens, Long outputTokens, Long totalTokens,
                              Map<String, Object> costDetails, Map<String, Object> calculatedCostDetails, Double totalCost,
                              String costSource, Price price, String promptName, Integer promptVersion, Instant createdAt,
                              Instant updatedAt, Totals totals, List<Observation> children) {

        static Observation of(Rows.Observation o, Totals totals, List<Observation> children) {
            Double ttft = o.startTime() == null || o.completionStartTime() == null ? null
                    : Duration.between(o.startTime(), o.completionStartTime()).toNanos() / 1e6;
            return new Observation(o.project(), o.id(), o.traceId(), o.type(), o.parentObservationId(), o.name(), o.startTime(),
                    o.endTime(), o.completionStartTime(), o.latencyMs(), ttft, o.model(), o.modelParameters(), o.input(),
                    o.output(), o.metadata(), o.level(), o.statusMessage(), o.version(), o.environment(), o.usageDetails(),
                    o.inputTokens(), o.outputTokens(), o.totalTokens(), o.costDetails(), o.calculatedCostDetails(),
                    o.totalCost(), o.costSource(), o.priceModel() == null ? null : new Price(o.priceModel(), o.priceValidFrom()),
                    o.promptName(), o.promptVersion(), o.createdAt(), o.updatedAt(), totals, children);
        }

        static Observation flat(Rows.Observation o) {
            return of(o, null, null);
        }

        static List<Observation> tree(List<Rows.Observation> observations) {
            return Trees.build(observations, Rows.Observation::id, Rows.Observation::parentObservationId, Rows.Observation::startTime)
                    .stream().map(Observation::node).toList();
        }

        private static Observation node(Node<Rows.Observation> n) {
            Totals totals = new Totals(longSum(n, Rows.Observation::inputTokens), longSum(n, Rows.Observation::outputTokens),
                    longSum(n, Rows.Observation::totalTokens), Trees.sum(n, Rows.Observation::totalCost));
            return of(n.item(), totals, n.children().stream().map(Observation::node).toList());
        }

        private static Long longSum(Node<Rows.Observation> n, java.util.function.Function<Rows.Observation, Long> f) {
            Double d = Trees.sum(n, o -> f.apply(o) == null ? null : f.apply(o).doubleValue());
            return d == null ? null : Math.round(d);
        }
    }

    /** The price table row that priced an observation. */
    public record Price(String model, Instant validFrom) {
    }

    public record Score(String project, String id, String name, String traceId, String observationId, String sessionId,
                        String datasetRunId, Double value, String stringValue, String dataType, String source, String comment,
                        Object metadata, String configId, String environment, Instant timestamp, Instant createdAt,
                        Instant updatedAt) {

        static Score of(Rows.Score s) {
            return new Score(s.project(), s.id(), s.name(), s.traceId(), s.observationId(), s.sessionId(), s.datasetRunId(),
                    s.value(), s.stringValue(), s.dataType(), s.source(), s.comment(), s.metadata(), s.configId(), s.environment(),
                    s.timestamp(), s.createdAt(), s.updatedAt());
        }
    }

    public record Session(String project, String id, Instant createdAt, Instant lastTraceAt, long traceCount,
                          List<String> environments, Double totalCost, Long totalTokens, List<Trace> traces, List<Score> scores) {

        static Session of(Rows.Session s, List<Trace> traces, List<Score> scores) {
            return new Session(s.project(), s.id(), s.createdAt(), s.lastTraceAt(), s.traces(),
                    s.environments() == null ? List.of() : s.environments(), s.totalCost(), s.totalTokens(), traces, scores);
        }
    }
}
