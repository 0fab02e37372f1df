package io.flywheel.deploy.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps of a canary (the candidate's share of traffic, in percent, ending at 100) and what a
 * step needs before the next: a minimum time held and a minimum number of predictions served by
 * the candidate during the step, with no degradation reported for it. Reaching the last step makes
 * the candidate the primary version. Frozen into a rollout when it starts, so a configuration change
 * never alters a canary in flight.
 */
public record CanaryPolicy(List<Integer> steps, Duration minHold, long minSamples) {

    public CanaryPolicy {
        if (steps == null || steps.isEmpty()) {
            throw new IllegalArgumentException("canary steps are required, e.g. [10, 50, 100]");
        }
        steps = List.copyOf(steps);
        int previous = 0;
        for (int step : steps) {
            if (step < 1 || step > 100) {
                throw new IllegalArgumentException("canary steps are percentages from 1 to 100, got " + step);
            }
            if (step <= previous) {
                throw new IllegalArgumentException("canary steps must increase, got " + steps);
            }
            previous = step;
        }
        if (previous != 100) {
            throw new IllegalArgumentException("the last canary step must be 100, got " + steps);
        }
        if (minHold == null || minHold.isNegative()) {
            throw new IllegalArgumentException("the minimum hold of a canary step must be zero or more");
        }
        if (minSamples < 0) {
            throw new IllegalArgumentException("the minimum samples of a canary step must be zero or more");
        }
    }

    /** The candidate's share of traffic at a step. */
    public int percentAt(int step) {
        return steps.get(step);
    }

    /**
     * Whether to hold, advance or complete. {@code samplesInStep} counts the predictions the
     * candidate served since the step began; {@code degraded} is the monitor's word on the candidate.
     */
    public CanaryDecision decide(int step, Instant stepStartedAt, long samplesInStep, boolean degraded, Instant now) {
        if (step < 0 || step >= steps.size()) {
            throw new IllegalArgumentException("step " + step + " is not one of the " + steps.size() + " steps " + steps);
        }
        Duration held = Duration.between(stepStartedAt, now);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("step", step);
        evidence.put("percent", percentAt(step));
        evidence.put("held_seconds", Math.max(0, held.toMillis()) / 1000.0);
        evidence.put("min_hold_seconds", minHold.toMillis() / 1000.0);
        evidence.put("samples", samplesInStep);
        evidence.put("min_samples", minSamples);
        if (degraded) {
            return new CanaryDecision.Hold("the monitor reports the candidate degraded", evidence);
        }
        if (held.compareTo(minHold) < 0) {
            return new CanaryDecision.Hold("held " + seconds(held) + " of " + seconds(minHold), evidence);
        }
        if (samplesInStep < minSamples) {
            return new CanaryDecision.Hold("served " + samplesInStep + " of " + minSamples + " predictions in this step", evidence);
        }
        int next = step + 1;
        if (next >= steps.size() - 1) {
            return new CanaryDecision.Complete(evidence);
        }
        return new CanaryDecision.Advance(next, percentAt(next), evidence);
    }

    private static String seconds(Duration d) {
        return Math.max(0, d.toMillis()) / 1000.0 + " s";
    }
}
