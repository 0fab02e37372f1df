package io.flywheel.events;

import java.time.Instant;

/**
 * An alias of a model (e.g. {@code champion}) now points at another version; {@code fromVersion}
 * is null when the alias was just created. Key: the model name.
 */
public record AliasMoved(
        String model,
        String alias,
        Integer fromVersion,
        int toVersion,
        /* who moved it: the caller's principal, or "anonymous" */
        String actor,
        String reason,
        Instant movedAt) {
    public static final String TYPE = "io.flywheel.registry.alias.moved.v1";

    public static AliasMoved of(String model, String alias, Integer fromVersion, int toVersion, String actor,
                                String reason, Instant movedAt) {
        return new AliasMoved(model, alias, fromVersion, toVersion, actor, reason, movedAt);
    }
}
