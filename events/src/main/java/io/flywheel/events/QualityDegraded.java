package io.flywheel.events;

import java.time.Instant;
import java.util.Map;

/**
 * The monitor judged a model version's quality to have degraded: a quality metric over a window
 * crossed its threshold ({@code kind} "quality"), a concept-drift detector fired on the error
 * stream ("concept"), or a serving endpoint broke an infrastructure rule ("infrastructure").
 * Emitted once per change of state. Key: the model name.
 *
 * <p>LLM scores ({@code kind} "llm_score"): the scores of one prompt version or one LLM model
 * dropped in a window. {@code llm} then names that subject; {@code model}/{@code version} are the
 * prompt's name and version, or the LLM model's name and 0. Such an event is about no registered
 * model version: consumers that act on model versions (rollback, retraining) ignore this kind.
 * Emitted once per window. Key: {@code project + "/" + } the prompt or model name.
 */
public record QualityDegraded(
        String model,
        int version,
        /* quality | concept | infrastructure | llm_score */
        String kind,
        String metric,
        double value,
        double threshold,
        Instant windowStart,
        Instant windowEnd,
        long samples,
        Instant detectedAt,
        Map<String, Object> evidence,
        /* only for kind llm_score, else null */
        LlmSubject llm) {
    public static final String TYPE = "io.flywheel.monitor.quality.degraded.v1";

    public static final String KIND_QUALITY = "quality";
    public static final String KIND_CONCEPT = "concept";
    public static final String KIND_INFRASTRUCTURE = "infrastructure";
    public static final String KIND_LLM_SCORE = "llm_score";

    /**
     * The prompt version or LLM model whose scores dropped: {@code groupBy} "prompt" (then
     * {@code promptName} and {@code promptVersion} are set) or "model" (then {@code llmModel}).
     */
    public record LlmSubject(String project, String scoreName, String groupBy, String promptName, Integer promptVersion,
                             String llmModel) {
    }

    public static QualityDegraded of(String model, int version, String kind, String metric, double value,
                                     double threshold, Instant windowStart, Instant windowEnd, long samples,
                                     Instant detectedAt, Map<String, Object> evidence) {
        return new QualityDegraded(model, version, kind, metric, value, threshold, windowStart, windowEnd, samples,
                detectedAt, evidence == null ? Map.of() : Map.copyOf(evidence), null);
    }

    public static QualityDegraded ofLlm(LlmSubject subject, String metric, double value, double threshold, Instant windowStart,
                                        Instant windowEnd, long samples, Instant detectedAt, Map<String, Object> evidence) {
        boolean prompt = "prompt".equals(subject.groupBy());
        return new QualityDegraded(prompt ? subject.promptName() : subject.llmModel(),
                prompt && subject.promptVersion() != null ? subject.promptVersion() : 0, KIND_LLM_SCORE, metric, value,
                threshold, windowStart, windowEnd, samples, detectedAt, evidence == null ? Map.of() : Map.copyOf(evidence),
                subject);
    }
}
