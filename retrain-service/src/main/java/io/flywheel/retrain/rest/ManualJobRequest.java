package io.flywheel.retrain.rest;

import io.flywheel.events.Names;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /api/v1/retrain/jobs}: retrain a model now. The policy's guardrails apply;
 * {@code force} skips cooldown and minimum new rows (never max concurrent or the daily budget).
 */
public record ManualJobRequest(
        @NotNull(message = "model is required")
        @Pattern(regexp = Names.PATTERN, message = "model must match " + Names.PATTERN)
        String model,
        @Size(max = 1000, message = "reason is limited to 1000 characters")
        String reason,
        Boolean force) {
}
