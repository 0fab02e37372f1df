package io.flywheel.monitor.llm.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.flywheel.monitor.llm.Rows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Langfuse's public API shapes (camelCase, nulls written), from its Fern definitions (trace, observations, sessions, scores). */
public final class LangfuseViews {

    private LangfuseViews() {
    }

    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Meta(int page, int limit, long totalItems, long totalPages) {
        static Meta of(int page, int limit, long total) {
            return new Meta(page, limit, total, (total + limit - 1) / limit);
        }
    }

    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Paged<T>(List<T> data, Meta meta) {
    }

    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Error(String message, String error) {
    }

    /**
     * TraceWithDetails ({@code observations} and {@code scores} are ids) or TraceWithFullDetails (the
     * objects); {@code latency} in seconds, {@code totalCost} in USD.
     */
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Trace(String id, Instant timestamp, String name, Object input, Object output, String sessionId,
                        String release, String version, String userId, Object metadata, List<String> tags,
                        @JsonProperty("public") Boolean isPublic, String environment, String htmlPath, double latency,
                        double totalCost, List<?> observations, List<?> scores, String projectId, Instant createdAt,
                        Instant updatedAt) {

        static Trace of(Rows.Trace t, List<?> observations, List<?> scores) {
            return new Trace(t.id(), t.time(), t.name(), t.input(), t.output(), t.sessionId(), t.release(), t.version(), t.userId(),
                    t.metadata(), t.tags() == null ? List.of() : t.tags(), t.isPublic() != null && t.isPublic(),
                    t.environment() == null ? "default" : t.environment(), "/project/" + t.project() + "/traces/" + t.id(),
                    t.latencyMs() == null ? 0 : t.latencyMs() / 1000, t.totalCost() == null ? 0 : t.totalCost(), observations, scores,
                    t.project(), t.createdAt(), t.updatedAt());
        }
    }

    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Usage(Long input, Long output, Long total, String unit, Double inputCost, Double outputCost, Double totalCost) {
    }

    /** ObservationsView: the observation, its usage, and cost (costDetails: the client's, else the price table's). */
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Observation(String id, String traceId, String type, String name, Instant startTime, Instant endTime,
                              Instant completionStartTime, String model, Object modelParameters, Object input, String version,
                              Object metadata, Object output, Usage usage, String level, String statusMessage,
                              String parentObservationId, String promptId, String promptName, Integer promptVersion,
                              Map<String, Object> usageDetails, Map<String, Object> costDetails, String environment,
                              String modelId, Double inputPrice, Double outputPrice, Double totalPrice,
                              Double calculatedInputCost, Double calculatedOutputCost, Double calculatedTotalCost,
                              Double latency, Double timeToFirstToken, String unit, Long promptTokens, Long completionTokens,
                              Long totalTokens, String costSource, String projectId, Instant createdAt, Instant updatedAt) {

        static Observation of(Rows.Observation o) {
            Map<String, Object> cost = o.costDetails() != null && !o.costDetails().isEmpty() ? o.costDetails()
                    : o.calculatedCostDetails() == null ? Map.of() : o.calculatedCostDetails();
            Double inputCost = number(cost.get("input"));
            Double outputCost = number(cost.get("output"));
            Instant start = o.startTime() == null ? o.createdAt() : o.startTime();
            Double ttft = o.startTime() == null || o.completionStartTime() == null ? null
                    : Duration.between(o.startTime(), o.completionStartTime()).toNanos() / 1e9;
            String unit = o.usageDetails() == null || o.usageDetails().isEmpty() ? null : "TOKENS";
            return new Observation(o.id(), o.traceId(), o.type() == null ? "SPAN" : o.type(), o.name(), start, o.endTime(),
                    o.completionStartTime(), o.model(), o.modelParameters(), o.input(), o.version(), o.metadata(), o.output(),
                    new Usage(o.inputTokens(), o.outputTokens(), o.totalTokens(), unit, inputCost, outputCost, o.totalCost()),
                    o.level() == null ? "DEFAULT" : o.level(), o.statusMessage(), o.parentObservationId(), null, o.promptName(),
                    o.promptVersion(), o.usageDetails() == null ? Map.of() : o.usageDetails(), cost,
                    o.environment() == null ? "default" : o.environment(), null, null, null, null, inputCost, outputCost,
                    o.totalCost(), o.latencyMs() == null ? null : o.latencyMs() / 1000, ttft, unit,
                    o.inputTokens() == null ? 0 : o.inputTokens(), o.outputTokens() == null ? 0 : o.outputTokens(),
                    o.totalTokens() == null ? 0 : o.totalTokens(), o.costSource(), o.project(), o.createdAt(), o.updatedAt());
        }

        private static Double number(Object v) {
            return v instanceof Number n ? n.doubleValue() : null;
        }
    }

    /** A score (ScoreV1 in a trace, the v2 list's objects), with its trace's user, tags and environment when known. */
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Score(String id, String traceId, String sessionId, String observationId, String datasetRunId, String name,
                        String source, Instant timestamp, Instant createdAt, Instant updatedAt, String authorUserId,
                        String comment, Object metadata, String configId, String queueId, String environment, String dataType,
                        Double value, String stringValue, String projectId) {

        static Score of(Rows.Score s) {
            return new Score(s.id(), s.traceId(), s.sessionId(), s.observationId(), s.datasetRunId(), s.name(), s.source(),
                    s.timestamp(), s.createdAt(), s.updatedAt(), null, s.comment(), s.metadata() == null ? Map.of() : s.metadata(),
                    s.configId(), null, s.environment() == null ? "default" : s.environment(), s.dataType(), s.value(),
                    s.stringValue(), s.project());
        }
    }

    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Session(String id, Instant createdAt, String projectId, String environment, List<Trace> traces) {

        static Session of(Rows.Session s, List<Trace> traces) {
            String environment = s.environments() == null || s.environments().isEmpty() ? "default" : s.environments().getFirst();
            return new Session(s.id(), s.createdAt(), s.project(), environment, traces);
        }
    }

    /** ScoreConfig: a project's rules for scores of one name. */
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ScoreConfig(String id, String name, Instant createdAt, Instant updatedAt, String projectId, String dataType,
                              boolean isArchived, Double minValue, Double maxValue,
                              List<io.flywheel.monitor.llm.score.ScoreConfig.Category> categories, String description) {

        static ScoreConfig of(io.flywheel.monitor.llm.score.ScoreConfig c) {
            return new ScoreConfig(c.id(), c.name(), c.createdAt(), c.updatedAt(), c.project(), c.dataType(), c.isArchived(),
                    c.minValue(), c.maxValue(), c.categories().isEmpty() ? null : c.categories(), c.description());
        }
    }

    /** CreateScoreConfigRequest. */
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    public record CreateScoreConfig(String name, String dataType, List<io.flywheel.monitor.llm.score.ScoreConfig.Category> categories,
                                    Double minValue, Double maxValue, String description) {
    }

    /** UpdateScoreConfigRequest: the fields to change. */
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    public record UpdateScoreConfig(Boolean isArchived, String name, List<io.flywheel.monitor.llm.score.ScoreConfig.Category> categories,
                                    String description, Double minValue, Double maxValue) {
    }
}
