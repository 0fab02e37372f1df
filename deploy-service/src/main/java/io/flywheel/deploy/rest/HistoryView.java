package io.flywheel.deploy.rest;

import io.flywheel.deploy.HistoryEntry;
import io.flywheel.deploy.rollout.Live;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One line of a deployment's history: what happened, who or what caused it, why, the evidence, and what served after. */
public record HistoryView(long id, Instant at, String action, Integer version, String strategy, String actor, String reason,
                          String summary, Map<String, Object> evidence, List<Live> live, String promotionId, long revision) {

    static HistoryView of(HistoryEntry e) {
        return new HistoryView(e.id, e.at, e.action, e.version, e.strategy, e.actor, e.reason, e.summary, e.evidence,
                e.live == null ? List.of() : e.live.versions(), e.promotionId, e.revision);
    }
}
