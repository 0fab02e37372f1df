package io.flywheel.events;

import java.time.Instant;
import java.util.Map;

/**
 * One prediction served for a model version, as logged by the serving runtime or posted by an
 * external server through the gateway. Key: the model name. Labels arrive later as feedback with
 * the same request id. The constructor enforces the contract, so producers can't publish and
 * consumers can't read a prediction that breaks it; a missing time means "now".
 */
public record PredictionLogged(
        String requestId,
        String model,
        int version,
        String environment,
        Map<String, Object> inputs,
        Object output,
        Double latencyMs,
        Instant time) {
    public static final String TYPE = "io.flywheel.inference.prediction.logged.v1";

    public PredictionLogged {
        if (requestId == null || requestId.isBlank() || requestId.length() > 128) {
            throw new IllegalArgumentException("request_id is required (1 to 128 characters)");
        }
        if (model == null || !model.matches(Names.PATTERN)) {
            throw new IllegalArgumentException("model is required and must match " + Names.PATTERN);
        }
        if (version < 1) {
            throw new IllegalArgumentException("version must be 1 or more, was " + version);
        }
        if (inputs == null) {
            throw new IllegalArgumentException("inputs are required (an object of feature name to value)");
        }
        if (latencyMs != null && (latencyMs < 0 || latencyMs.isNaN())) {
            throw new IllegalArgumentException("latency_ms must be 0 or more");
        }
        if (time == null) {
            time = Instant.now();
        }
    }

    public static PredictionLogged of(String requestId, String model, int version, String environment,
                                      Map<String, Object> inputs, Object output, Double latencyMs, Instant time) {
        return new PredictionLogged(requestId, model, version, environment, inputs, output, latencyMs, time);
    }
}
