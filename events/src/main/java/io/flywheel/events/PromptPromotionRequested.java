package io.flywheel.events;

import java.time.Instant;
import java.util.Map;

/**
 * A prompt optimisation job found a candidate version that beat the prompt's {@code production}
 * version on its dataset by the policy's margin, registered it, and asks deploy to roll it out: a
 * canary of sessions between the two versions, judged on online scores, promoted (the
 * {@code production} label moved to the candidate) or rolled back by deploy's own policy.
 * Key: {@code project + "/" + prompt}.
 *
 * @param baselineVersion the version that held {@code production} when the candidate was judged
 * @param experimentId    the experiment run (retrain's) whose scores justified the request
 * @param scoreName       the score the candidate was judged on, which the canary watches too
 * @param evidence        the comparison: candidate and baseline means, margin, items
 */
public record PromptPromotionRequested(
        String project,
        String prompt,
        int candidateVersion,
        Integer baselineVersion,
        String jobId,
        String experimentId,
        String scoreName,
        Map<String, Object> evidence,
        String reason,
        Instant requestedAt) {
    public static final String TYPE = "io.flywheel.retrain.prompt-promotion.requested.v1";

    public PromptPromotionRequested {
        TraceIds.require("project", project);
        if (prompt == null || prompt.isBlank()) {
            throw new IllegalArgumentException("prompt is required");
        }
        if (candidateVersion < 1) {
            throw new IllegalArgumentException("candidateVersion must be 1 or more, was " + candidateVersion);
        }
        evidence = evidence == null ? Map.of() : Map.copyOf(evidence);
    }

    public String key() {
        return project + "/" + prompt;
    }
}
