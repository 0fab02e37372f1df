package io.flywheel.events;

import java.time.Instant;
import java.util.Map;

/**
 * The monitor judged a model version's quality to have degraded: a quality metric over a window
 * crossed its threshold ({@code kind} "quality"), a concept-drift detector fired on the error
 * stream ("concept"), or a serving endpoint broke an infrastructure rule ("infrastructure").
 * Emitted once per change of state. Key: the model name.
 */
public record QualityDegraded(
        String model,
        int version,
        /* quality | concept | infrastructure */
        String kind,
        String metric,
        double value,
        double threshold,
        Instant windowStart,
        Instant windowEnd,
        long samples,
        Instant detectedAt,
        Map<String, Object> evidence) {
    public static final String TYPE = "io.flywheel.monitor.quality.degraded.v1";

    public static final String KIND_QUALITY = "quality";
    public static final String KIND_CONCEPT = "concept";
    public static final String KIND_INFRASTRUCTURE = "infrastructure";

    public static QualityDegraded of(String model, int version, String kind, String metric, double value,
                                     double threshold, Instant windowStart, Instant windowEnd, long samples,
                                     Instant detectedAt, Map<String, Object> evidence) {
        return new QualityDegraded(model, version, kind, metric, value, threshold, windowStart, windowEnd, samples,
                detectedAt, evidence == null ? Map.of() : Map.copyOf(evidence));
    }
}
