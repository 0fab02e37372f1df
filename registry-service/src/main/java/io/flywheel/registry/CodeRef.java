package io.flywheel.registry;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The exact code a version was built from: a repository and a commit in it. */
public record CodeRef(
        @NotBlank(message = "code.repository is required when code is given")
        @Size(max = 2048, message = "code.repository is limited to 2048 characters")
        String repository,
        @NotBlank(message = "code.commit is required when code is given")
        @Pattern(regexp = "[0-9a-fA-F]{4,64}", message = "code.commit must be a commit id: 4 to 64 hex digits")
        String commit) {
}
