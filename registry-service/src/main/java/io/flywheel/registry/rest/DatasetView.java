package io.flywheel.registry.rest;

import io.flywheel.registry.Dataset;

import java.time.Instant;
import java.util.Map;

/** A dataset as the API shows it. */
public record DatasetView(String name, String description, Map<String, String> tags, Instant createdAt, Instant updatedAt) {
    static DatasetView of(Dataset dataset) {
        return new DatasetView(dataset.name, dataset.description, dataset.tags, dataset.createdAt, dataset.updatedAt);
    }
}
