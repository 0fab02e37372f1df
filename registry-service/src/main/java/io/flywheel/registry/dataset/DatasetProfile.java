package io.flywheel.registry.dataset;

import io.flywheel.registry.ColumnSchema;

import java.util.List;

/** What inspecting a dataset's full content found: how many rows, and each column's inferred type. */
public record DatasetProfile(long rows, List<ColumnSchema> columns) {
}
