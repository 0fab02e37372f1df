package io.flywheel.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A prompt version was created in the registry; it never changes. Key: {@code <project>/<name>}, so
 * one prompt's events keep their order. The template itself is not carried: fetch it by version.
 */
public record PromptVersionRegistered(
        String project,
        String name,
        int version,
        /* "text" or "chat" */
        String type,
        /* labels it got when it was created ("latest" is derived and not listed) */
        List<String> labels,
        Map<String, Object> config,
        String commitMessage,
        /* the experiment that justified the version, or null */
        String experimentId,
        /* who created it: the caller's principal */
        String actor,
        Instant registeredAt) {
    public static final String TYPE = "io.flywheel.registry.prompt-version.registered.v1";

    public static PromptVersionRegistered of(String project, String name, int version, String type, List<String> labels,
                                             Map<String, Object> config, String commitMessage, String experimentId,
                                             String actor, Instant registeredAt) {
        return new PromptVersionRegistered(project, name, version, type, List.copyOf(labels), config, commitMessage,
                experimentId, actor, registeredAt);
    }
}
