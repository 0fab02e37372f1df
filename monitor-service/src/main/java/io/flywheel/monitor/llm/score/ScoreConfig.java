package io.flywheel.monitor.llm.score;

import java.time.Instant;
import java.util.List;

/**
 * A project's score config (Langfuse's ScoreConfig): what a score of this name must be. Scores that
 * name it by {@code configId} are checked against it ({@link ScoreValidation}).
 */
public record ScoreConfig(String project, String id, String name, String dataType, boolean isArchived, Double minValue,
                          Double maxValue, List<Category> categories, String description, Instant createdAt,
                          Instant updatedAt) {

    /** One category of a CATEGORICAL (or BOOLEAN) config: its numeric value and its label. */
    public record Category(double value, String label) {
    }
}
