package io.flywheel.registry.rest;

import io.flywheel.events.Names;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.Map;

/** Body of {@code POST /api/v1/datasets}. */
public record DatasetRequest(
        @NotNull(message = "name is required")
        @Pattern(regexp = Names.PATTERN,
                message = "name must match " + Names.PATTERN + " (letters, digits, '-', '_', '.'; 1 to 128 characters)")
        String name,
        @Size(max = 4000, message = "description is limited to 4000 characters")
        String description,
        @Size(max = 64, message = "at most 64 tags")
        Map<String, String> tags) {
}
