package io.flywheel.registry.rest;

import jakarta.validation.constraints.Size;

import java.util.Map;

/** Body of {@code PATCH /api/v1/models/{name}} (JSON Merge Patch: absent leaves alone, a tag set to null is removed). */
public record ModelPatch(
        @Size(max = 4000, message = "description is limited to 4000 characters")
        String description,
        @Size(max = 64, message = "at most 64 tags")
        Map<String, String> tags,
        Boolean archived) {
}
