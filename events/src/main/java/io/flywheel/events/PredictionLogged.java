package io.flywheel.events;

import java.time.Instant;
import java.util.Map;

/**
 * One prediction served for a model version, as logged by the serving runtime or posted by an
 * external server through the gateway. Key: the model name. Labels arrive later as feedback with
 * the same request id.
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

    public static PredictionLogged of(String requestId, String model, int version, String environment,
                                      Map<String, Object> inputs, Object output, Double latencyMs, Instant time) {
        return new PredictionLogged(requestId, model, version, environment, inputs, output, latencyMs, time);
    }
}
