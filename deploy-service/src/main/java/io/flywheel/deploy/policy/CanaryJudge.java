package io.flywheel.deploy.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges a canary step: the candidate against the champion on the same stretch of time (both serve
 * side by side while the canary runs), criterion by criterion. A criterion without enough evidence
 * yet waits; the step holds until it has it, so a canary never advances on no evidence. Plain Java.
 */
public final class CanaryJudge {

    public static final String QUALITY = "quality";
    public static final String ERROR_RATE = "error_rate";
    public static final String LATENCY = "latency_p99";
    public static final Set<String> CRITERIA = Set.of(QUALITY, ERROR_RATE, LATENCY);

    /** Metrics where lower is better; the others (accuracy, roc_auc, f1, ...) are better higher. */
    static final Set<String> LOWER_IS_BETTER = Set.of("log_loss", "rmse", "mae", "mape", "mse", "brier");

    /**
     * What one version showed since the step began.
     *
     * @param requests   inference requests it answered or refused
     * @param errors     of those, refused or failed
     * @param p99Millis  its p99 latency, null before any answer
     * @param quality    the monitor's quality metrics on its latest window, empty before labels
     * @param labelled   labelled predictions behind {@code quality}
     */
    public record VersionEvidence(int version, long requests, long errors, Double p99Millis, Map<String, Double> quality,
                                  long labelled) {
        public VersionEvidence {
            quality = quality == null ? Map.of() : Map.copyOf(quality);
        }

        double errorRate() {
            return requests == 0 ? 0 : (double) errors / requests;
        }
    }

    public enum Status { PASSED, WAITING, FAILED }

    /** One criterion's verdict, with the numbers it was decided on. */
    public record Verdict(String criterion, Status status, String detail, Map<String, Object> numbers) {
    }

    /** Every criterion's verdict. */
    public record Judgement(List<Verdict> verdicts) {

        public List<Verdict> failed() {
            return verdicts.stream().filter(v -> v.status() == Status.FAILED).toList();
        }

        public boolean waiting() {
            return verdicts.stream().anyMatch(v -> v.status() == Status.WAITING);
        }

        /** The failures that roll the candidate back under this policy. */
        public List<Verdict> rollbacks(Set<String> rollbackOn) {
            return failed().stream().filter(v -> rollbackOn.contains(v.criterion())).toList();
        }

        /** For the history: criterion → status, detail and numbers. */
        public Map<String, Object> evidence() {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Verdict v : verdicts) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("status", v.status().name().toLowerCase());
                one.put("detail", v.detail());
                one.putAll(v.numbers());
                out.put(v.criterion(), one);
            }
            return out;
        }

        /** One line naming what failed or waits, or "all criteria passed". */
        public String summary() {
            List<String> parts = new ArrayList<>();
            verdicts.stream().filter(v -> v.status() != Status.PASSED).forEach(v -> parts.add(v.criterion() + ": " + v.detail()));
            return parts.isEmpty() ? "all criteria passed" : String.join("; ", parts);
        }
    }

    private CanaryJudge() {
    }

    public static Judgement judge(PromotionPolicy.Judge judge, VersionEvidence candidate, VersionEvidence champion) {
        List<Verdict> verdicts = new ArrayList<>(3);
        if (judge.quality() != null) {
            verdicts.add(quality(judge.quality(), candidate, champion));
        }
        if (judge.errorRate() != null) {
            verdicts.add(errorRate(judge.errorRate(), candidate, champion));
        }
        if (judge.latency() != null) {
            verdicts.add(latency(judge.latency(), candidate, champion));
        }
        return new Judgement(List.copyOf(verdicts));
    }

    static Verdict quality(PromotionPolicy.QualityRule rule, VersionEvidence candidate, VersionEvidence champion) {
        String metric = rule.metric();
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("metric", metric);
        numbers.put("candidate_labelled", candidate.labelled());
        numbers.put("champion_labelled", champion.labelled());
        numbers.put("min_labelled", rule.minLabelled());
        Double c = candidate.quality().get(metric);
        Double h = champion.quality().get(metric);
        if (c != null) {
            numbers.put("candidate", c);
        }
        if (h != null) {
            numbers.put("champion", h);
        }
        numbers.put("max_drop", rule.maxDrop());
        if (candidate.labelled() < rule.minLabelled() || champion.labelled() < rule.minLabelled() || c == null || h == null) {
            return new Verdict(QUALITY, Status.WAITING, "waiting for " + rule.minLabelled() + " labelled predictions of each version ("
                    + "candidate " + candidate.labelled() + ", champion " + champion.labelled() + ")", numbers);
        }
        double worseBy = LOWER_IS_BETTER.contains(metric) ? c - h : h - c;
        numbers.put("worse_by", worseBy);
        String comparison = metric + " " + round(c) + " against the champion's " + round(h);
        if (worseBy > rule.maxDrop()) {
            return new Verdict(QUALITY, Status.FAILED, comparison + ": worse by " + round(worseBy) + ", more than the "
                    + round(rule.maxDrop()) + " allowed", numbers);
        }
        return new Verdict(QUALITY, Status.PASSED, comparison, numbers);
    }

    static Verdict errorRate(PromotionPolicy.ErrorRule rule, VersionEvidence candidate, VersionEvidence champion) {
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("candidate_requests", candidate.requests());
        numbers.put("candidate_errors", candidate.errors());
        numbers.put("champion_requests", champion.requests());
        numbers.put("champion_errors", champion.errors());
        numbers.put("min_requests", rule.minRequests());
        numbers.put("max_increase", rule.maxIncrease());
        if (candidate.requests() < rule.minRequests()) {
            return new Verdict(ERROR_RATE, Status.WAITING, "waiting for " + rule.minRequests() + " requests to the candidate ("
                    + candidate.requests() + " so far)", numbers);
        }
        double c = candidate.errorRate();
        double h = champion.errorRate();
        numbers.put("candidate", c);
        numbers.put("champion", h);
        String comparison = "error rate " + percent(c) + " against the champion's " + percent(h);
        if (c - h > rule.maxIncrease()) {
            return new Verdict(ERROR_RATE, Status.FAILED, comparison + ": up by more than the " + percent(rule.maxIncrease()) + " allowed",
                    numbers);
        }
        return new Verdict(ERROR_RATE, Status.PASSED, comparison, numbers);
    }

    static Verdict latency(PromotionPolicy.LatencyRule rule, VersionEvidence candidate, VersionEvidence champion) {
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("candidate_requests", candidate.requests());
        numbers.put("min_requests", rule.minRequests());
        if (rule.maxRatio() != null) {
            numbers.put("max_ratio", rule.maxRatio());
        }
        if (rule.budgetMillis() != null) {
            numbers.put("budget_ms", rule.budgetMillis());
        }
        if (candidate.requests() < rule.minRequests() || candidate.p99Millis() == null) {
            return new Verdict(LATENCY, Status.WAITING, "waiting for " + rule.minRequests() + " requests to the candidate ("
                    + candidate.requests() + " so far)", numbers);
        }
        double c = candidate.p99Millis();
        numbers.put("candidate_ms", c);
        List<String> breaches = new ArrayList<>(2);
        if (rule.budgetMillis() != null && c > rule.budgetMillis()) {
            breaches.add("over the budget of " + round(rule.budgetMillis()) + " ms");
        }
        String comparison = "p99 " + round(c) + " ms";
        if (champion.p99Millis() != null) {
            double h = champion.p99Millis();
            double ratio = h > 0 ? c / h : Double.POSITIVE_INFINITY;
            numbers.put("champion_ms", h);
            if (h > 0) {
                numbers.put("ratio", ratio);
            }
            comparison += " against the champion's " + round(h) + " ms";
            if (rule.maxRatio() != null && ratio > rule.maxRatio()) {
                breaches.add(round(ratio) + "x the champion's, more than the " + round(rule.maxRatio()) + "x allowed");
            }
        } else if (rule.budgetMillis() == null) {
            return new Verdict(LATENCY, Status.WAITING, "waiting for the champion's latency to compare with", numbers);
        }
        if (!breaches.isEmpty()) {
            return new Verdict(LATENCY, Status.FAILED, comparison + ": " + String.join(", ", breaches), numbers);
        }
        return new Verdict(LATENCY, Status.PASSED, comparison, numbers);
    }

    private static String round(double v) {
        return String.valueOf(Math.round(v * 1000) / 1000.0);
    }

    private static String percent(double share) {
        return Math.round(share * 1000) / 10.0 + "%";
    }
}
