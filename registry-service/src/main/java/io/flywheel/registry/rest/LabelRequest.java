package io.flywheel.registry.rest;

import jakarta.validation.constraints.Min;

/** Body of {@code PUT /api/v1/prompts/{name}/labels/{label}}. */
public record LabelRequest(@Min(value = 1, message = "version is a version number, from 1") int version) {
}
