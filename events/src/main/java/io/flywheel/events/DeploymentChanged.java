package io.flywheel.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What serves a model in one environment changed (promotion, canary step, rollback). Carries the
 * whole new state, not a delta, so a consumer that missed one event still ends up right.
 * Key: the model name.
 */
public record DeploymentChanged(
        String model,
        String environment,
        List<LiveVersion> live,
        /* promoted, canary-advanced, rolled-back, ... */
        String action,
        /* who or what caused it: a user, "retrain", "monitor", "policy" (a model's promotion policy) */
        String actor,
        String reason,
        Instant changedAt,
        /* the version the change was about */
        Integer version,
        /* what it was decided on (gates, canary step and judge numbers, the monitor's verdict); may be empty */
        Map<String, Object> evidence) {
    public static final String TYPE = "io.flywheel.deploy.deployment.changed.v1";

    /** One version serving in the environment, with its share of traffic and its role. */
    public record LiveVersion(int version, int trafficPercent, String role) {
        public static final String PRIMARY = "primary";
        public static final String CANARY = "canary";
        public static final String SHADOW = "shadow";
    }

    public static DeploymentChanged of(String model, String environment, List<LiveVersion> live, String action,
                                       String actor, String reason, Instant changedAt, Integer version, Map<String, Object> evidence) {
        return new DeploymentChanged(model, environment, List.copyOf(live), action, actor, reason, changedAt, version,
                evidence == null ? Map.of() : evidence);
    }
}
