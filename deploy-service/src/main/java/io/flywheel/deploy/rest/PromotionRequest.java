package io.flywheel.deploy.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST .../{environment}/promotions}: the version, the strategy (the environment's
 * default when absent: replace, canary in production), why, and optionally this canary's own steps.
 */
public record PromotionRequest(
        @NotNull(message = "version is required")
        @Min(value = 1, message = "version must be 1 or more")
        Integer version,
        @Pattern(regexp = "replace|canary|shadow", message = "strategy must be replace, canary or shadow")
        String strategy,
        @Size(max = 1000, message = "reason is limited to 1000 characters")
        String reason,
        @Valid
        Canary canary,
        @Size(max = 50, message = "evidence is limited to 50 entries")
        Map<String, Object> evidence) {

    /** A canary's own policy; absent fields take the configured defaults. */
    public record Canary(
            @Size(min = 1, max = 20, message = "canary.steps needs 1 to 20 percentages ending at 100")
            List<@NotNull(message = "a canary step can't be null") Integer> steps,
            @DecimalMin(value = "0", message = "canary.min_hold_seconds must be 0 or more")
            @DecimalMax(value = "604800", message = "canary.min_hold_seconds is at most 604800 (7 days)")
            Double minHoldSeconds,
            @Min(value = 0, message = "canary.min_samples must be 0 or more")
            Long minSamples) {
    }
}
