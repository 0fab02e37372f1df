package io.flywheel.registry.rest;

import io.flywheel.registry.service.PromptService;

import java.time.Instant;
import java.util.List;

/** A prompt in a list: its versions (newest first), the labels in use ({@code latest} included), its tags. */
public record PromptSummaryView(String project, String name, String type, List<Integer> versions, List<String> labels,
                                List<String> tags, Instant updatedAt) {
    static PromptSummaryView of(PromptService.Summary s) {
        return new PromptSummaryView(s.prompt().project, s.prompt().name, s.prompt().type, s.versions(), s.labels(), s.prompt().tagList(),
                s.prompt().updatedAt);
    }
}
