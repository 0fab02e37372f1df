package io.flywheel.deploy.predictionlog;

import java.util.Map;

/**
 * One prediction as the request path hands it over: the cheapest possible record. The sender turns
 * it into a checked {@link io.flywheel.events.PredictionLogged} and JSON, off the request path.
 */
public record LoggedPrediction(String requestId, String model, int version, String environment,
                               Map<String, Object> inputs, Object output, double latencyMs, long epochMillis) {
}
