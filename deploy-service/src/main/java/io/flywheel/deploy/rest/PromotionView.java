package io.flywheel.deploy.rest;

import io.flywheel.deploy.PromotionRecord;
import io.flywheel.deploy.service.GateViews;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A promotion and its gate results, in the order they ran. {@code deployment} is the environment's
 * state after it (absent when only the promotion was read).
 */
public record PromotionView(String id, String model, String environment, int version, String strategy, String status,
                            String reason, String requestedBy, String source, List<Map<String, Object>> checks,
                            CanaryView canary, Map<String, Object> evidence, Instant createdAt, Instant decidedAt,
                            String decidedBy, DeploymentView deployment) {

    public record CanaryView(List<Integer> steps, double minHoldSeconds, long minSamples) {
    }

    static PromotionView of(PromotionRecord p, DeploymentView deployment) {
        CanaryView canary = p.canaryPolicy == null ? null
                : new CanaryView(p.canaryPolicy.steps(), p.canaryPolicy.minHoldMillis() / 1000.0, p.canaryPolicy.minSamples());
        return new PromotionView(p.id, p.model, p.environment, p.version, p.strategy, p.status, p.reason, p.requestedBy, p.source,
                GateViews.toMaps(p.checkList()), canary, p.evidence, p.createdAt, p.decidedAt, p.decidedBy, deployment);
    }
}
