package io.flywheel.deploy.rest;

import io.flywheel.deploy.DeploymentRow;
import io.flywheel.deploy.rollout.Deployment;
import io.flywheel.deploy.rollout.Live;
import io.flywheel.deploy.service.DeploymentStore;

import java.time.Instant;
import java.util.List;

/**
 * What serves one model in one environment. {@code etag} (also the ETag header) is what a promotion
 * or rollback sends back in If-Match.
 */
public record DeploymentView(String model, String environment, String status, String strategy, Integer primaryVersion,
                             List<Live> live, List<Integer> liveVersions, CandidateView candidate, List<Integer> previousVersions,
                             long revision, String etag, Instant updatedAt, String updatedBy) {

    /** The version being rolled out: a canary with its step, or a shadow. */
    public record CandidateView(int version, String strategy, int trafficPercent, Integer step, List<Integer> steps,
                                Double minHoldSeconds, Long minSamples, Instant since, Instant stepStartedAt,
                                Long stepSamplesAtStart, String promotionId) {
    }

    static DeploymentView of(Deployment d, DeploymentRow row) {
        Deployment.Candidate c = d.candidate();
        CandidateView candidate = null;
        if (c != null) {
            boolean canary = c.isCanary();
            candidate = new CandidateView(c.version(), c.strategy().id(), c.percent(), canary ? c.step() : null,
                    canary ? c.policy().steps() : null, canary ? c.policy().minHold().toMillis() / 1000.0 : null,
                    canary ? c.policy().minSamples() : null, c.since(), canary ? c.stepStartedAt() : null,
                    canary ? c.stepSamplesAtStart() : null, c.promotionId());
        }
        return new DeploymentView(d.model(), d.environment(), d.status(), row == null ? null : row.strategy, d.primary(), d.live(),
                d.live().stream().map(Live::version).toList(), candidate, d.previous(), d.revision(), DeploymentStore.etag(d),
                row == null ? null : row.updatedAt, row == null ? null : row.updatedBy);
    }
}
