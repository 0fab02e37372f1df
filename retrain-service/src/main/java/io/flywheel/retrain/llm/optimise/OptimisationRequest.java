package io.flywheel.retrain.llm.optimise;

import com.fasterxml.jackson.databind.JsonNode;
import io.flywheel.retrain.llm.experiment.ExperimentRequest;

import java.util.List;

/**
 * {@code POST /api/v1/evaluation/optimisations}: try candidate versions of the registry prompt {@code prompt}
 * against its {@code production} version on {@code dataset}, judged by {@code evaluator}'s mean. Candidates
 * are {@code candidates} as given, or {@code generate}d by the chat endpoint from a meta-prompt; exactly one
 * of the two. The winner is registered with {@code label} (default {@code candidate}) when it beats the
 * baseline by {@code margin}.
 */
public record OptimisationRequest(String project, String prompt, String dataset, ExperimentRequest.Evaluator evaluator,
                                  List<ExperimentRequest.Evaluator> evaluators, List<Candidate> candidates, Generate generate,
                                  String model, Double margin, String label, Integer concurrency, Double requestsPerSecond,
                                  Integer maxRetries) {

    /** A candidate given by the caller: its text (or chat messages) and optionally its own config (else the baseline's). */
    public record Candidate(JsonNode prompt, JsonNode config) {
    }

    /**
     * Candidates asked of the chat endpoint: {@code count} (1-5) calls with the meta-prompt (the default shows the
     * current prompt and the failing items), {@code seed} = the candidate's index, to {@code model}.
     */
    public record Generate(Integer count, String metaPrompt, String model) {
    }
}
