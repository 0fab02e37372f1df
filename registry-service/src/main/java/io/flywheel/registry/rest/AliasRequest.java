package io.flywheel.registry.rest;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Body of {@code PUT .../aliases/{alias}}: the version to point at, and why. */
public record AliasRequest(
        @NotNull(message = "version is required")
        @Min(value = 1, message = "version must be 1 or more")
        Integer version,
        @Size(max = 1000, message = "reason is limited to 1000 characters")
        String reason) {
}
