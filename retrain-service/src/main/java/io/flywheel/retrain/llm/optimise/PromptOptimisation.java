package io.flywheel.retrain.llm.optimise;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A prompt optimisation job: {@code queued} → {@code running} (its {@code step} says which experiment) →
 * {@code promotion_requested} (a candidate won, was registered as {@code candidateVersion}, and deploy was asked
 * to roll it out), {@code no_improvement} (none beat the baseline by the margin) or {@code failed} ({@code error}
 * says why). {@code candidates} holds each candidate's prompt, source, status, run and mean.
 */
public record PromptOptimisation(String id, String project, String prompt, String dataset, String state, String step, JsonNode request,
                                 String scoreName, double margin, int baselineVersion, String baselineRunId, Double baselineMean,
                                 JsonNode candidates, Integer bestIndex, Double bestMean, Integer candidateVersion, JsonNode evidence,
                                 String reason, String error, String triggerKind, String triggerEventId, String createdBy,
                                 Instant createdAt, Instant updatedAt, Instant startedAt, Instant finishedAt) {

    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String PROMOTION_REQUESTED = "promotion_requested";
    public static final String NO_IMPROVEMENT = "no_improvement";
    public static final String FAILED = "failed";

    public boolean finished() {
        return PROMOTION_REQUESTED.equals(state) || NO_IMPROVEMENT.equals(state) || FAILED.equals(state);
    }
}
