package io.flywheel.events;

import java.time.Instant;

/**
 * A model version that the monitor had reported as drifted or degraded is back within its policy.
 * {@code kind} names what recovered: "drift", "quality", "concept" or "infrastructure".
 * Emitted once per change of state. Key: the model name.
 */
public record Recovered(String model, int version, String kind, Instant recoveredAt) {
    public static final String TYPE = "io.flywheel.monitor.recovered.v1";

    public static final String KIND_DRIFT = "drift";

    public static Recovered of(String model, int version, String kind, Instant recoveredAt) {
        return new Recovered(model, version, kind, recoveredAt);
    }
}
