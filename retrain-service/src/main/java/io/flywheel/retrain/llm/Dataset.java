package io.flywheel.retrain.llm;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** A dataset of examples of one LLM project; its name is unique in the project and may hold '/' (folders). */
public record Dataset(String id, String project, String name, String description, JsonNode metadata, JsonNode inputSchema,
                      JsonNode expectedOutputSchema, Instant createdAt, Instant updatedAt) {
}
