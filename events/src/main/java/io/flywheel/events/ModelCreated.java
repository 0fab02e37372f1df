package io.flywheel.events;

import java.time.Instant;
import java.util.Map;

/** A model (the named container of versions) was created in the registry. Key: the model name. */
public record ModelCreated(String model, String description, Map<String, String> tags, Instant createdAt) {
    public static final String TYPE = "io.flywheel.registry.model.created.v1";

    public static ModelCreated of(String model, String description, Map<String, String> tags, Instant createdAt) {
        return new ModelCreated(model, description, Map.copyOf(tags), createdAt);
    }
}
