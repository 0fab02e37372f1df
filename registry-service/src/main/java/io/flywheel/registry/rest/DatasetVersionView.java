package io.flywheel.registry.rest;

import io.flywheel.registry.ColumnSchema;
import io.flywheel.registry.DatasetVersion;

import java.time.Instant;
import java.util.List;

/** A dataset version as the API shows it (registry-service/README.md); {@code id} and {@code sha256} are the same hash. */
public record DatasetVersionView(String dataset, String id, String sha256, String format, String contentType, long rows,
                                 long sizeBytes, List<ColumnSchema> schema, String createdBy, Instant createdAt) {
    static DatasetVersionView of(DatasetVersion v) {
        return new DatasetVersionView(v.dataset, v.id, v.id, v.format, v.contentType, v.rowCount, v.sizeBytes, v.schema.columns(),
                v.createdBy, v.createdAt);
    }
}
