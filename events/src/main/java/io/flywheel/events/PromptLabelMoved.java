package io.flywheel.events;

import java.time.Instant;

/**
 * A label of a prompt (e.g. {@code production}) now points at another version: {@code fromVersion}
 * is null when the label was new, {@code toVersion} null when it was removed. Key: {@code <project>/<name>}.
 */
public record PromptLabelMoved(
        String project,
        String name,
        String label,
        Integer fromVersion,
        Integer toVersion,
        /* who moved it: the caller's principal */
        String actor,
        Instant movedAt) {
    public static final String TYPE = "io.flywheel.registry.prompt-label.moved.v1";

    public static PromptLabelMoved of(String project, String name, String label, Integer fromVersion, Integer toVersion,
                                      String actor, Instant movedAt) {
        return new PromptLabelMoved(project, name, label, fromVersion, toVersion, actor, movedAt);
    }

    /** The Kafka key of a prompt's events. */
    public static String key(String project, String name) {
        return project + "/" + name;
    }
}
