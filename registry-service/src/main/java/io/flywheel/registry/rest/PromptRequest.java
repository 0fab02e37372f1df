package io.flywheel.registry.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /api/v1/prompts}: a new version of the prompt {@code name} (created with its
 * first version). {@code type} is text (default) or chat; {@code prompt} a string or a list of messages;
 * {@code experiment_id} names the experiment that justified the version (lineage).
 */
public record PromptRequest(
        @NotNull(message = "name is required") String name,
        String type,
        @NotNull(message = "prompt is required: a string (text) or a list of messages (chat)") Object prompt,
        @Size(max = 100, message = "config has at most 100 keys") Map<String, Object> config,
        @Size(max = 50, message = "at most 50 labels") List<String> labels,
        @Size(max = 50, message = "at most 50 tags") List<String> tags,
        String commitMessage,
        String experimentId) {
}
