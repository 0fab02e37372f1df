package io.flywheel.registry;

import java.util.List;

/** The dataset versions a model version was trained on, as stored in its jsonb column. */
public record DatasetVersionRefs(List<DatasetVersionRef> refs) {
}
