package io.flywheel.deploy.prompt;

import java.time.Duration;

/**
 * How a prompt canary runs and is judged, frozen into the rollout when it starts.
 *
 * @param sharePercent share of sessions on the candidate (1-99); sessions are split by a stable hash
 * @param minDuration  the canary runs at least this long before it may be promoted
 * @param maxDuration  a canary still undecided then is rolled back (inconclusive)
 * @param minCount     online scores each version needs before the judge compares them
 * @param maxDrop      the candidate's mean below the baseline's by more than this rolls it back
 * @param margin       the candidate is promoted when its mean is at least the baseline's minus this
 */
public record PromptPolicy(int sharePercent, Duration minDuration, Duration maxDuration, long minCount, double maxDrop,
                           double margin) {

    public PromptPolicy {
        if (sharePercent < 1 || sharePercent > 99) {
            throw new IllegalArgumentException("share_percent is the candidate's share of sessions, from 1 to 99; got " + sharePercent);
        }
        if (minDuration == null || minDuration.isNegative()) {
            throw new IllegalArgumentException("min_duration must be zero or more, e.g. PT1H");
        }
        if (maxDuration == null || maxDuration.compareTo(minDuration) < 0) {
            throw new IllegalArgumentException("max_duration must be at least min_duration (" + minDuration + "), got " + maxDuration);
        }
        if (minCount < 1) {
            throw new IllegalArgumentException("min_count must be 1 or more, got " + minCount);
        }
        if (!(maxDrop >= 0) || Double.isInfinite(maxDrop)) {
            throw new IllegalArgumentException("max_drop must be a number of 0 or more, got " + maxDrop);
        }
        if (!(margin >= 0) || margin > maxDrop) {
            throw new IllegalArgumentException("margin must be from 0 to max_drop (" + maxDrop + "), got " + margin
                    + ": a candidate that far below the baseline would be promoted and rolled back at once");
        }
    }
}
