package io.flywheel.deploy.rest;

import io.flywheel.deploy.prompt.PromptPolicyDocument;
import io.flywheel.deploy.prompt.PromptRolloutHistory;
import io.flywheel.deploy.prompt.PromptRolloutRow;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A prompt rollout as the API shows it (snake_case): its versions, frozen policy, status, the judge's latest word. */
public record PromptRolloutView(String id, String project, String prompt, String status, int candidateVersion,
                                Integer baselineVersion, String scoreName, PromptPolicyDocument policy, String startedBy,
                                String source, String jobId, String experimentId, String reason, Map<String, Object> evidence,
                                Instant startedAt, Instant endedAt, String endedBy, String endReason, Map<String, Object> judgement,
                                Instant judgedAt, boolean labelsSynced, String labelError, List<Change> history) {

    /** One change of the rollout with what it was decided on. */
    public record Change(String action, String actor, String reason, Map<String, Object> evidence, Instant at) {
        static Change of(PromptRolloutHistory h) {
            return new Change(h.action, h.actor, h.reason, h.evidence, h.at);
        }
    }

    static PromptRolloutView of(PromptRolloutRow r, List<PromptRolloutHistory> history) {
        return new PromptRolloutView(r.id.toString(), r.project, r.prompt, r.status, r.candidateVersion, r.baselineVersion, r.scoreName,
                r.policy, r.startedBy, r.source, r.jobId, r.experimentId, r.reason, r.requestEvidence, r.startedAt, r.endedAt, r.endedBy,
                r.endReason, r.judgement, r.judgedAt, r.labelsSynced, r.labelError,
                history == null ? null : history.stream().map(Change::of).toList());
    }

    static PromptRolloutView of(PromptRolloutRow r) {
        return of(r, null);
    }
}
