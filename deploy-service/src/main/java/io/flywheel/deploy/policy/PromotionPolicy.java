package io.flywheel.deploy.policy;

import io.flywheel.deploy.rollout.CanaryPolicy;
import io.flywheel.deploy.rollout.Strategy;

import java.time.Duration;
import java.util.Set;

/**
 * A model's promotion policy: whether a version that soaked in {@code from} goes on to {@code to}
 * by itself, how (at once, or a canary with its steps), which online evidence judges each canary step
 * against the champion, and which of the judge's failures roll the candidate back (the others hold
 * the step). Plain Java; the API's JSON maps onto it and every rule is checked here.
 *
 * @param soakTime    how long the version must have served in {@code from}
 * @param soakSamples how many predictions it must have served there
 * @param shadowFirst when set, the version first shadows the champion in {@code to} (answers logged,
 *                    never returned) and is judged there on error rate and latency, before {@code strategy}; else null
 * @param rollbackOn  judge criteria whose failure rolls the canary back: {@link CanaryJudge#CRITERIA}
 */
public record PromotionPolicy(boolean autoPromote, String from, String to, Duration soakTime, long soakSamples,
                              Shadow shadowFirst, Strategy strategy, CanaryPolicy canary, Judge judge, Set<String> rollbackOn) {

    public PromotionPolicy {
        if (from == null || from.isBlank() || to == null || to.isBlank()) {
            throw new IllegalArgumentException("from and to name the environments a version is promoted between");
        }
        if (from.equals(to)) {
            throw new IllegalArgumentException("from and to must be different environments, both are '" + from + "'");
        }
        if (soakTime == null || soakTime.isNegative()) {
            throw new IllegalArgumentException("soak.min_time must be zero or more");
        }
        if (soakSamples < 0) {
            throw new IllegalArgumentException("soak.min_samples must be zero or more");
        }
        if (strategy != Strategy.REPLACE && strategy != Strategy.CANARY) {
            throw new IllegalArgumentException("strategy must be replace or canary");
        }
        if (strategy == Strategy.CANARY && canary == null) {
            throw new IllegalArgumentException("a canary strategy needs its canary steps");
        }
        judge = judge == null ? Judge.NONE : judge;
        rollbackOn = rollbackOn == null ? Set.of() : Set.copyOf(rollbackOn);
        for (String criterion : rollbackOn) {
            if (!CanaryJudge.CRITERIA.contains(criterion)) {
                throw new IllegalArgumentException("rollback_on holds '" + criterion + "'; the judge's criteria are " + CanaryJudge.CRITERIA);
            }
        }
    }

    /** A shadow before the rollout: held at least {@code minHold}, and until it scored {@code minSamples} copies. */
    public record Shadow(Duration minHold, long minSamples) {
        public Shadow {
            if (minHold == null || minHold.isNegative()) {
                throw new IllegalArgumentException("shadow.min_hold_seconds must be zero or more");
            }
            if (minSamples < 0) {
                throw new IllegalArgumentException("shadow.min_samples must be zero or more");
            }
        }
    }

    /**
     * What judges a canary step against the champion; a null rule is not judged.
     *
     * @param quality   the monitor's quality metric on joined labels
     * @param errorRate the share of requests the candidate failed or refused
     * @param latency   the candidate's p99 latency, as a ratio of the champion's and an absolute budget
     */
    public record Judge(QualityRule quality, ErrorRule errorRate, LatencyRule latency) {
        public static final Judge NONE = new Judge(null, null, null);

        public boolean judges() {
            return quality != null || errorRate != null || latency != null;
        }
    }

    /** The candidate's metric may be at most {@code maxDrop} worse than the champion's, once both have {@code minLabelled} labels. */
    public record QualityRule(String metric, double maxDrop, long minLabelled) {
        public QualityRule {
            if (metric == null || metric.isBlank()) {
                throw new IllegalArgumentException("judge.quality.metric is required, e.g. accuracy or roc_auc");
            }
            if (!(maxDrop >= 0)) {
                throw new IllegalArgumentException("judge.quality.max_drop must be zero or more");
            }
            if (minLabelled < 1) {
                throw new IllegalArgumentException("judge.quality.min_labelled must be 1 or more");
            }
        }
    }

    /** The candidate's error share may exceed the champion's by at most {@code maxIncrease}, once it served {@code minRequests}. */
    public record ErrorRule(double maxIncrease, long minRequests) {
        public ErrorRule {
            if (!(maxIncrease >= 0 && maxIncrease <= 1)) {
                throw new IllegalArgumentException("judge.error_rate.max_increase is a share from 0 to 1");
            }
            if (minRequests < 1) {
                throw new IllegalArgumentException("judge.error_rate.min_requests must be 1 or more");
            }
        }
    }

    /**
     * The candidate's p99 may be at most {@code maxRatio} times the champion's and, when set, at most
     * {@code budgetMillis}; judged once it served {@code minRequests}.
     */
    public record LatencyRule(Double maxRatio, Double budgetMillis, long minRequests) {
        public LatencyRule {
            if (maxRatio == null && budgetMillis == null) {
                throw new IllegalArgumentException("judge.latency_p99 needs max_ratio, budget_ms or both");
            }
            if (maxRatio != null && !(maxRatio >= 1)) {
                throw new IllegalArgumentException("judge.latency_p99.max_ratio must be 1 or more");
            }
            if (budgetMillis != null && !(budgetMillis > 0)) {
                throw new IllegalArgumentException("judge.latency_p99.budget_ms must be more than 0");
            }
            if (minRequests < 1) {
                throw new IllegalArgumentException("judge.latency_p99.min_requests must be 1 or more");
            }
        }
    }
}
