package io.flywheel.deploy.rollout;

/** One version serving in an environment: its share of traffic and its role (primary, canary, shadow). */
public record Live(int version, int trafficPercent, String role) {
    public static final String PRIMARY = "primary";
    public static final String CANARY = "canary";
    public static final String SHADOW = "shadow";
}
