package io.flywheel.registry;

import java.util.List;

/** A dataset version's columns, as stored in its jsonb column. */
public record DatasetSchema(List<ColumnSchema> columns) {
}
