package io.flywheel.deploy.rollout;

import java.util.Locale;

/** How a promoted version takes over an environment. */
public enum Strategy {
    /** The version takes all traffic at once. */
    REPLACE,
    /** The version takes a growing share of traffic, step by step, while its quality holds. */
    CANARY,
    /** The version sees a copy of the traffic; its answers are logged and discarded. */
    SHADOW;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static Strategy of(String id) {
        for (Strategy s : values()) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("strategy must be replace, canary or shadow, was '" + id + "'");
    }
}
