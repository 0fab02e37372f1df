package io.flywheel.deploy.policy;

import io.flywheel.deploy.rollout.CanaryPolicy;
import io.flywheel.deploy.rollout.Strategy;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * A promotion policy as the API reads and writes it (snake_case JSON) and as it is stored: every
 * field optional, absent ones taking the defaults below. {@link #toPolicy} checks it and says what to fix.
 * <pre>
 * {"auto_promote": true, "from": "staging", "to": "production",
 *  "soak": {"min_time": "PT30M", "min_samples": 100}, "shadow": {"min_hold_seconds": 600, "min_samples": 500},
 *  "strategy": "canary", "canary": {"steps": [10, 50, 100], "min_hold_seconds": 300, "min_samples": 100},
 *  "judge": {"quality": {"metric": "accuracy", "max_drop": 0.02, "min_labelled": 50},
 *            "error_rate": {"max_increase": 0.01, "min_requests": 100},
 *            "latency_p99": {"max_ratio": 1.5, "budget_ms": 50, "min_requests": 100}},
 *  "rollback_on": ["quality", "error_rate", "latency_p99"]}
 * </pre>
 */
public record PolicyDocument(Boolean autoPromote, String from, String to, Soak soak, Shadow shadow, String strategy,
                             Canary canary, Judge judge, List<String> rollbackOn) {

    public record Soak(String minTime, Long minSamples) {
    }

    public record Canary(List<Integer> steps, Double minHoldSeconds, Long minSamples) {
    }

    /** Shadow first: present means yes. */
    public record Shadow(Double minHoldSeconds, Long minSamples) {
    }

    public record Judge(Quality quality, ErrorRate errorRate, Latency latencyP99) {
    }

    public record Quality(String metric, Double maxDrop, Long minLabelled) {
    }

    public record ErrorRate(Double maxIncrease, Long minRequests) {
    }

    public record Latency(Double maxRatio, Double budgetMs, Long minRequests) {
    }

    /** What an absent field means. */
    public record Defaults(String from, String to, Duration soakTime, long soakSamples, CanaryPolicy canary) {
    }

    /**
     * The policy this document describes.
     *
     * @throws IllegalArgumentException naming the field to fix
     */
    public PromotionPolicy toPolicy(Defaults defaults) {
        Strategy chosen = strategy == null ? Strategy.CANARY : switch (strategy) {
            case "replace" -> Strategy.REPLACE;
            case "canary" -> Strategy.CANARY;
            default -> throw new IllegalArgumentException("strategy must be replace or canary, got '" + strategy + "'");
        };
        Duration soakTime = defaults.soakTime();
        long soakSamples = defaults.soakSamples();
        if (soak != null) {
            if (soak.minTime() != null) {
                try {
                    soakTime = Duration.parse(soak.minTime());
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("soak.min_time is an ISO-8601 duration such as PT30M, got '" + soak.minTime() + "'");
                }
            }
            if (soak.minSamples() != null) {
                soakSamples = soak.minSamples();
            }
        }
        if (canary != null && canary.steps() != null && canary.steps().stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("canary.steps are percentages from 1 to 100, got a null");
        }
        if (rollbackOn != null && rollbackOn.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("rollback_on names judge criteria: quality, error_rate, latency_p99; got a null");
        }
        CanaryPolicy canaryPolicy = null;
        if (chosen == Strategy.CANARY) {
            CanaryPolicy d = defaults.canary();
            canaryPolicy = canary == null ? d : new CanaryPolicy(canary.steps() == null ? d.steps() : canary.steps(),
                    canary.minHoldSeconds() == null ? d.minHold() : Duration.ofMillis(Math.round(canary.minHoldSeconds() * 1000)),
                    canary.minSamples() == null ? d.minSamples() : canary.minSamples());
        }
        PromotionPolicy.Judge rules = judge == null ? PromotionPolicy.Judge.NONE : new PromotionPolicy.Judge(
                    judge.quality() == null ? null : new PromotionPolicy.QualityRule(judge.quality().metric(),
                            orElse(judge.quality().maxDrop(), 0.0), orElse(judge.quality().minLabelled(), 50L)),
                    judge.errorRate() == null ? null : new PromotionPolicy.ErrorRule(orElse(judge.errorRate().maxIncrease(), 0.0),
                            orElse(judge.errorRate().minRequests(), 100L)),
                    judge.latencyP99() == null ? null : new PromotionPolicy.LatencyRule(judge.latencyP99().maxRatio(),
                            judge.latencyP99().budgetMs(), orElse(judge.latencyP99().minRequests(), 100L)));
        // by default every judged criterion that fails rolls back
        List<String> rollback = rollbackOn != null ? rollbackOn : rules.judges()
                ? CanaryJudge.CRITERIA.stream().filter(c -> judged(rules, c)).sorted().toList() : List.of();
        PromotionPolicy.Shadow shadowFirst = shadow == null ? null : new PromotionPolicy.Shadow(
                shadow.minHoldSeconds() == null ? defaults.canary().minHold() : Duration.ofMillis(Math.round(shadow.minHoldSeconds() * 1000)),
                shadow.minSamples() == null ? defaults.canary().minSamples() : shadow.minSamples());
        return new PromotionPolicy(Boolean.TRUE.equals(autoPromote), from == null ? defaults.from() : from,
                to == null ? defaults.to() : to, soakTime, soakSamples, shadowFirst, chosen, canaryPolicy, rules,
                new LinkedHashSet<>(rollback));
    }

    /** The document with every default written out: what the API answers. */
    public static PolicyDocument of(PromotionPolicy p) {
        PromotionPolicy.Judge j = p.judge();
        return new PolicyDocument(p.autoPromote(), p.from(), p.to(), new Soak(p.soakTime().toString(), p.soakSamples()),
                p.shadowFirst() == null ? null : new Shadow(p.shadowFirst().minHold().toMillis() / 1000.0, p.shadowFirst().minSamples()),
                p.strategy().id(),
                p.canary() == null ? null : new Canary(p.canary().steps(), p.canary().minHold().toMillis() / 1000.0, p.canary().minSamples()),
                j.judges() ? new Judge(
                        j.quality() == null ? null : new Quality(j.quality().metric(), j.quality().maxDrop(), j.quality().minLabelled()),
                        j.errorRate() == null ? null : new ErrorRate(j.errorRate().maxIncrease(), j.errorRate().minRequests()),
                        j.latency() == null ? null : new Latency(j.latency().maxRatio(), j.latency().budgetMillis(), j.latency().minRequests()))
                        : null,
                p.rollbackOn().stream().sorted().toList());
    }

    private static boolean judged(PromotionPolicy.Judge j, String criterion) {
        return switch (criterion) {
            case CanaryJudge.QUALITY -> j.quality() != null;
            case CanaryJudge.ERROR_RATE -> j.errorRate() != null;
            case CanaryJudge.LATENCY -> j.latency() != null;
            default -> false;
        };
    }

    private static <T> T orElse(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
