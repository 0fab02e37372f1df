package io.flywheel.retrain.rest;

import io.flywheel.events.Names;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /api/v1/retrain/code-pushes}: retrain {@code model} at {@code commit} of its
 * policy's {@code trainer.code} repository, as a {@code code} trigger.
 */
public record CodePushRequest(
        @NotNull(message = "model is required")
        @Pattern(regexp = Names.PATTERN, message = "model must match " + Names.PATTERN)
        String model,
        @Size(max = 2048, message = "repository is limited to 2048 characters")
        String repository,
        @NotNull(message = "commit is required: the commit id to train at (7 to 64 hex digits)")
        @Pattern(regexp = "[0-9a-fA-F]{7,64}", message = "commit must be a commit id: 7 to 64 hex digits")
        String commit,
        @Pattern(regexp = "[A-Za-z0-9._/+-]{1,255}", message = "branch must be a branch name, e.g. main")
        String branch) {
}
