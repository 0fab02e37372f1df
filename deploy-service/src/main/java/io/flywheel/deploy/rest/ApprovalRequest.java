package io.flywheel.deploy.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Body of {@code POST .../promotions/{id}/approval}: approve (true) or reject (false), and why. */
public record ApprovalRequest(
        @NotNull(message = "approved is required: true or false")
        Boolean approved,
        @Size(max = 1000, message = "reason is limited to 1000 characters")
        String reason) {
}
