package io.flywheel.deploy.rest;

import jakarta.validation.constraints.Size;

/** Optional body of {@code POST .../{environment}/rollback}. */
public record RollbackRequest(
        @Size(max = 1000, message = "reason is limited to 1000 characters")
        String reason) {
}
