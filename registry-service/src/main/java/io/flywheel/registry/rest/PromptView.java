package io.flywheel.registry.rest;

import io.flywheel.registry.service.PromptService;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A prompt version as Flywheel's API shows it (snake_case); {@code prompt} is a string (text) or a list (chat). */
public record PromptView(String project, String name, int version, String type, Object prompt, Map<String, Object> config,
                         List<String> labels, List<String> tags, String commitMessage, String experimentId, String createdBy,
                         Instant createdAt) {
    static PromptView of(PromptService.Fetched f) {
        return new PromptView(f.prompt().project, f.prompt().name, f.version().version, f.prompt().type, f.version().content().value(),
                f.version().config, f.labels(), f.prompt().tagList(), f.version().commitMessage, f.version().experimentId,
                f.version().createdBy, f.version().createdAt);
    }
}
