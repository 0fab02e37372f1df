package io.flywheel.registry.rest;

import io.flywheel.registry.Model;

import java.time.Instant;
import java.util.Map;

/** A model as the API shows it. */
public record ModelView(String name, String description, Map<String, String> tags, boolean archived,
                        Instant createdAt, Instant updatedAt) {
    static ModelView of(Model model) {
        return new ModelView(model.name, model.description, model.tags, model.archived, model.createdAt, model.updatedAt);
    }
}
