package io.flywheel.events;

import java.time.Instant;
import java.util.Map;

/**
 * A prompt rollout (deploy's canary of sessions between a prompt's {@code production} version and a
 * candidate) started, was promoted (the {@code production} label moves to the candidate), was rolled
 * back ({@code production} stays), or was refused before it started. Key: {@code project + "/" + prompt}.
 *
 * @param action   started, promoted, rolled-back or refused
 * @param status   the rollout's status after it: running, promoted, rolled-back or refused
 * @param actor    a person, "retrain" (its PromptPromotionRequested), "policy" (the judge) or "monitor"
 * @param evidence what it was decided on: the judge's scores per version, the monitor's verdict, retrain's evidence
 */
public record PromptRolloutChanged(
        String project,
        String prompt,
        String rolloutId,
        String action,
        String status,
        int candidateVersion,
        Integer baselineVersion,
        int sharePercent,
        String scoreName,
        String actor,
        String reason,
        Instant changedAt,
        Map<String, Object> evidence) {
    public static final String TYPE = "io.flywheel.deploy.prompt-rollout.changed.v1";

    public static PromptRolloutChanged of(String project, String prompt, String rolloutId, String action, String status,
                                          int candidateVersion, Integer baselineVersion, int sharePercent, String scoreName,
                                          String actor, String reason, Instant changedAt, Map<String, Object> evidence) {
        return new PromptRolloutChanged(project, prompt, rolloutId, action, status, candidateVersion, baselineVersion, sharePercent,
                scoreName, actor, reason, changedAt, evidence == null ? Map.of() : evidence);
    }

    public String key() {
        return project + "/" + prompt;
    }
}
