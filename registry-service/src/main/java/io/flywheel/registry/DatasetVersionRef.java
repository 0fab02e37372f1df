package io.flywheel.registry;

import io.flywheel.events.Names;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** A pointer to one registered dataset version: the dataset's name and the SHA-256 (hex) of its content. */
public record DatasetVersionRef(
        @NotNull(message = "dataset is required")
        @Pattern(regexp = Names.PATTERN, message = "dataset must match " + Names.PATTERN)
        String dataset,
        @NotNull(message = "id is required (the dataset version's SHA-256 in hex)")
        @Pattern(regexp = "[0-9a-f]{64}", message = "id must be a dataset version id: 64 lower-case hex digits (its SHA-256)")
        String id) {
}
