package io.flywheel.retrain.llm.experiment;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/evaluation/experiments}: run a prompt over a dataset's ACTIVE items as the run
 * {@code runName}. The prompt is a registry reference ({@code name} with {@code label} or {@code version};
 * neither is label {@code production}) or inline ({@code type}, {@code prompt}, {@code config}). The model
 * is {@code model}, else the prompt config's {@code model}. Settings left out take the service's defaults.
 */
public record ExperimentRequest(String project, String dataset, String runName, String description, JsonNode metadata, Prompt prompt,
                                String model, List<Evaluator> evaluators, Integer concurrency, Double requestsPerSecond,
                                Integer maxRetries) {

    public record Prompt(String name, String label, Integer version, String type, JsonNode prompt, JsonNode config) {
    }

    /** An evaluator as llm-eval's EvaluatorSpec reads it: its type, the name of its scores (the type when left out), its parameters. */
    public record Evaluator(String type, String name, Map<String, Object> params) {
    }
}
