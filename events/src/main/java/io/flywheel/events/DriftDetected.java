package io.flywheel.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The monitor judged a model version's live data to have drifted from its reference over a window.
 * Emitted once per change of state, not for every window while the drift lasts. Key: the model name.
 */
public record DriftDetected(
        String model,
        int version,
        List<String> driftedFeatures,
        double shareDrifted,
        Instant windowStart,
        Instant windowEnd,
        long samples,
        Instant detectedAt,
        /* per drifted feature: the test that decided, its statistic, p-value, threshold (and the KS bracket) */
        Map<String, Object> evidence) {
    public static final String TYPE = "io.flywheel.monitor.drift.detected.v1";

    public static DriftDetected of(String model, int version, List<String> driftedFeatures, double shareDrifted,
                                   Instant windowStart, Instant windowEnd, long samples, Instant detectedAt) {
        return of(model, version, driftedFeatures, shareDrifted, windowStart, windowEnd, samples, detectedAt, Map.of());
    }

    public static DriftDetected of(String model, int version, List<String> driftedFeatures, double shareDrifted,
                                   Instant windowStart, Instant windowEnd, long samples, Instant detectedAt,
                                   Map<String, Object> evidence) {
        return new DriftDetected(model, version, List.copyOf(driftedFeatures), shareDrifted, windowStart, windowEnd,
                samples, detectedAt, evidence == null ? Map.of() : Map.copyOf(evidence));
    }
}
