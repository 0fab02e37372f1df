package io.flywheel.events;

import java.time.Instant;

/**
 * A new version of a dataset was registered: its id is the SHA-256 (hex) of its full content, so
 * the same bytes are never registered twice. Key: the dataset name.
 */
public record DatasetVersionRegistered(
        String dataset,
        String id,
        /* csv or jsonl */
        String format,
        long rows,
        long sizeBytes,
        Instant registeredAt) {
    public static final String TYPE = "io.flywheel.registry.dataset-version.registered.v1";

    public static DatasetVersionRegistered of(String dataset, String id, String format, long rows, long sizeBytes,
                                              Instant registeredAt) {
        return new DatasetVersionRegistered(dataset, id, format, rows, sizeBytes, registeredAt);
    }
}
