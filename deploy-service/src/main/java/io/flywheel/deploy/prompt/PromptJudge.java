package io.flywheel.deploy.prompt;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Judges a prompt canary on the online scores each version received since it started (plain Java).
 * In order: a degradation the monitor reported for the candidate rolls it back; so does a candidate
 * mean below the baseline's by more than {@code max_drop} (both with {@code min_count} scores); after
 * {@code min_duration}, with {@code min_count} scores each, a candidate at least the baseline's mean
 * minus {@code margin} is promoted; a canary still undecided after {@code max_duration} is rolled back
 * (inconclusive); anything else holds.
 */
public final class PromptJudge {

    public enum Outcome {
        HOLD("hold"), PROMOTE("promote"), ROLL_BACK("rollback");

        private final String id;

        Outcome(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /** One version's online scores over the canary's window; {@code mean} null when it has none. */
    public record VersionScores(int version, long count, Double mean) {
        public static VersionScores none(int version) {
            return new VersionScores(version, 0, null);
        }
    }

    /** What the judge decided, why (a sentence), and on what (the numbers, for the record and the event). */
    public record Decision(Outcome outcome, String trigger, String reason, Map<String, Object> evidence) {
    }

    private PromptJudge() {
    }

    /**
     * @param degradation the monitor's word on the candidate since the canary started (null: none)
     */
    public static Decision decide(PromptPolicy policy, String scoreName, VersionScores candidate, VersionScores baseline,
                                  Duration elapsed, String degradation) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("score_name", scoreName);
        evidence.put("candidate", scores(candidate));
        evidence.put("baseline", scores(baseline));
        evidence.put("elapsed_seconds", elapsed.toSeconds());
        evidence.put("min_count", policy.minCount());
        evidence.put("max_drop", policy.maxDrop());
        evidence.put("margin", policy.margin());
        boolean enough = enough(candidate, policy) && enough(baseline, policy);
        Double drop = enough ? baseline.mean() - candidate.mean() : null;
        evidence.put("drop", drop);
        if (degradation != null) {
            evidence.put("degradation", degradation);
            return new Decision(Outcome.ROLL_BACK, "monitor", "the monitor reported the candidate's scores degraded: " + degradation,
                    evidence);
        }
        if (drop != null && drop > policy.maxDrop()) {
            return new Decision(Outcome.ROLL_BACK, "scores", "%s: candidate v%d mean %s is %s below baseline v%d mean %s (max_drop %s)"
                    .formatted(scoreName, candidate.version(), round(candidate.mean()), round(drop), baseline.version(),
                            round(baseline.mean()), policy.maxDrop()), evidence);
        }
        boolean ran = elapsed.compareTo(policy.minDuration()) >= 0;
        if (ran && drop != null && drop <= policy.margin()) {
            return new Decision(Outcome.PROMOTE, "scores", "%s: candidate v%d mean %s against baseline v%d mean %s over %d and %d scores, within margin %s"
                    .formatted(scoreName, candidate.version(), round(candidate.mean()), baseline.version(), round(baseline.mean()),
                            candidate.count(), baseline.count(), policy.margin()), evidence);
        }
        String waiting = !enough ? "waiting for " + policy.minCount() + " scores per version (candidate " + candidate.count()
                + ", baseline " + baseline.count() + ")"
                : !ran ? "running " + elapsed.toSeconds() + " s of at least " + policy.minDuration().toSeconds() + " s"
                : "candidate v%d mean %s is %s below the baseline's, more than margin %s".formatted(candidate.version(),
                round(candidate.mean()), round(drop), policy.margin());
        if (elapsed.compareTo(policy.maxDuration()) >= 0) {
            return new Decision(Outcome.ROLL_BACK, "inconclusive", "undecided after max_duration " + policy.maxDuration() + ": " + waiting,
                    evidence);
        }
        return new Decision(Outcome.HOLD, null, waiting, evidence);
    }

    private static boolean enough(VersionScores s, PromptPolicy policy) {
        return s.mean() != null && s.count() >= policy.minCount();
    }

    private static Map<String, Object> scores(VersionScores s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", s.version());
        m.put("count", s.count());
        m.put("mean", s.mean());
        return m;
    }

    private static String round(double v) {
        return String.valueOf(Math.round(v * 10_000) / 10_000.0);
    }
}
