package io.flywheel.deploy.serving;

import io.flywheel.deploy.rollout.TrafficSplit;

import java.util.ArrayList;
import java.util.List;

/**
 * How one environment serves one model right now: the primary version, and a candidate that takes
 * {@code canaryPercent}% of routing keys (a canary) or sees a copy of every request (a shadow).
 * {@code revision} is the deployment's revision it was built from.
 */
public record Route(String model, String environment, long revision, ServedVersion primary, ServedVersion canary,
                    int canaryPercent, ServedVersion shadow) {

    /** The version that answers a request with this routing key. */
    public ServedVersion pick(String routingKey) {
        if (canary != null && (primary == null || TrafficSplit.toCandidate(model, routingKey, canaryPercent))) {
            return canary;
        }
        return primary;
    }

    /** A live version by number (primary or canary; a shadow never answers), or null. */
    public ServedVersion answering(int version) {
        if (primary != null && primary.version() == version) {
            return primary;
        }
        if (canary != null && canary.version() == version) {
            return canary;
        }
        return null;
    }

    public List<ServedVersion> versions() {
        List<ServedVersion> all = new ArrayList<>(3);
        if (primary != null) {
            all.add(primary);
        }
        if (canary != null) {
            all.add(canary);
        }
        if (shadow != null) {
            all.add(shadow);
        }
        return all;
    }
}
