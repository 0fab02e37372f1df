package io.flywheel.deploy.gate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The promotion gates, checked in order: the version is finalised; its artifact loads in the serving
 * runtime; its metrics are at least the champion's plus the margin; for environments that need it,
 * it has soaked (live in the soak environment long enough, with enough predictions and no
 * degradation); for environments that need it, a person approved it. The first failure stops the
 * run: later gates are reported as not run. Plain Java, no I/O.
 */
public final class PromotionGates {

    public static final String FINALISED = "finalised";
    public static final String SERVABLE = "servable";
    public static final String METRICS = "metrics";
    public static final String SOAK = "soak";
    public static final String APPROVAL = "approval";

    /** The gate names in the order they run. */
    public static final List<String> ORDER = List.of(FINALISED, SERVABLE, METRICS, SOAK, APPROVAL);

    private final GatePolicy policy;

    public PromotionGates(GatePolicy policy) {
        this.policy = policy;
    }

    public GatePolicy policy() {
        return policy;
    }

    public GateVerdict evaluate(GateInput in) {
        List<Function<GateInput, GateCheck>> gates = List.of(this::finalised, this::servable, this::metrics, this::soak,
                this::approval);
        List<GateCheck> checks = new ArrayList<>(gates.size());
        boolean failed = false;
        for (int i = 0; i < gates.size(); i++) {
            if (failed) {
                checks.add(new GateCheck(ORDER.get(i), GateCheck.Status.NOT_RUN, "not checked: an earlier gate failed", Map.of()));
                continue;
            }
            GateCheck check = gates.get(i).apply(in);
            checks.add(check);
            failed = check.status() == GateCheck.Status.FAILED;
        }
        return new GateVerdict(checks);
    }

    private GateCheck finalised(GateInput in) {
        int v = in.candidate().version();
        if (in.candidate().finalised()) {
            return GateCheck.passed(FINALISED, "version " + v + " is finalised in the registry", Map.of());
        }
        return GateCheck.failed(FINALISED, "version " + v + " is a draft: upload its artifact to finalise it first", Map.of());
    }

    private GateCheck servable(GateInput in) {
        if (in.servable() == null) {
            return GateCheck.passed(SERVABLE, "it loads in the serving runtime (its artifact, or its external endpoint answers and fits)", Map.of());
        }
        return GateCheck.failed(SERVABLE, "it can't be served: " + in.servable(), Map.of());
    }

    private GateCheck metrics(GateInput in) {
        GateInput.VersionFacts champion = in.champion();
        if (champion == null) {
            return GateCheck.passed(METRICS, "no champion serves '" + in.environment() + "' to compare with", Map.of());
        }
        // Metrics measured on different holdouts don't compare; retraining's evaluation against this
        // very champion, on the same rows, does: use it when there is one.
        GateInput.HeadToHead headToHead = in.candidate().headToHead();
        boolean sameRows = headToHead != null && headToHead.championVersion() == champion.version();
        Map<String, Double> candidate = sameRows ? headToHead.candidate() : in.candidate().metrics();
        Map<String, Double> championMetrics = sameRows ? headToHead.champion() : champion.metrics();
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("champion_version", champion.version());
        evidence.put("margin", policy.margin());
        evidence.put("basis", sameRows ? "retraining's evaluation of both versions on the same holdout"
                : "the metrics each version was registered with");
        List<String> compared = new ArrayList<>();
        for (String metric : policy.metrics()) {
            Double theirs = championMetrics.get(metric);
            if (theirs == null || theirs.isNaN()) {
                continue;
            }
            Double ours = candidate.get(metric);
            boolean lower = policy.lowerIsBetter().contains(metric);
            double required = lower ? theirs - policy.margin() : theirs + policy.margin();
            Map<String, Object> numbers = new LinkedHashMap<>();
            numbers.put("candidate", ours);
            numbers.put("champion", theirs);
            numbers.put("required", required);
            numbers.put("higher_is_better", !lower);
            evidence.put(metric, numbers);
            if (ours == null || ours.isNaN()) {
                return GateCheck.failed(METRICS, "the champion (version " + champion.version() + ") reports " + metric + " = "
                        + theirs + ", the candidate reports no " + metric, evidence);
            }
            boolean ok = lower ? ours <= required : ours >= required;
            if (!ok) {
                return GateCheck.failed(METRICS, metric + " of version " + in.candidate().version() + " is " + ours + ", "
                        + (lower ? "above" : "below") + " the required " + required + " (champion version " + champion.version()
                        + ": " + theirs + (lower ? " - " : " + ") + "margin " + policy.margin() + ")", evidence);
            }
            compared.add(metric);
        }
        if (compared.isEmpty()) {
            return GateCheck.passed(METRICS, "the champion (version " + champion.version() + ") reports none of "
                    + policy.metrics() + ": nothing to compare", evidence);
        }
        return GateCheck.passed(METRICS, "at least the champion (version " + champion.version() + ") plus margin "
                + policy.margin() + " on " + String.join(", ", compared), evidence);
    }

    private GateCheck soak(GateInput in) {
        if (!policy.requiresSoak(in.environment())) {
            return new GateCheck(SOAK, GateCheck.Status.NOT_REQUIRED, "'" + in.environment() + "' needs no soak", Map.of());
        }
        GateInput.SoakFacts soak = in.soak();
        int v = in.candidate().version();
        String where = soak == null ? policy.soakFrom() : soak.environment();
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("environment", where);
        evidence.put("min_seconds", policy.soakMinTime().toMillis() / 1000.0);
        evidence.put("min_samples", policy.soakMinSamples());
        if (soak == null || soak.liveSince() == null) {
            return GateCheck.failed(SOAK, "version " + v + " is not live in '" + where + "'; promote it there first (it must soak "
                    + seconds(policy.soakMinTime()) + " and serve " + policy.soakMinSamples() + " predictions)", evidence);
        }
        Duration soaked = Duration.between(soak.liveSince(), in.now());
        evidence.put("live_since", soak.liveSince().toString());
        evidence.put("soaked_seconds", Math.max(0, soaked.toMillis()) / 1000.0);
        evidence.put("samples", soak.samples());
        if (!soak.degradations().isEmpty()) {
            evidence.put("degradations", soak.degradations());
            return GateCheck.failed(SOAK, "the monitor reported version " + v + " degraded while it soaked in '" + where + "': "
                    + String.join("; ", soak.degradations()), evidence);
        }
        if (soaked.compareTo(policy.soakMinTime()) < 0) {
            return GateCheck.failed(SOAK, "version " + v + " has soaked in '" + where + "' for " + seconds(soaked) + " of "
                    + seconds(policy.soakMinTime()), evidence);
        }
        if (soak.samples() < policy.soakMinSamples()) {
            return GateCheck.failed(SOAK, "version " + v + " has served " + soak.samples() + " of " + policy.soakMinSamples()
                    + " predictions in '" + where + "'", evidence);
        }
        return GateCheck.passed(SOAK, "version " + v + " soaked in '" + where + "' for " + seconds(soaked) + " and served "
                + soak.samples() + " predictions with no degradation", evidence);
    }

    private GateCheck approval(GateInput in) {
        if (!policy.requiresApproval(in.environment())) {
            return new GateCheck(APPROVAL, GateCheck.Status.NOT_REQUIRED, "'" + in.environment() + "' needs no manual approval",
                    Map.of());
        }
        GateInput.Approval approval = in.approval();
        if (approval == null) {
            return new GateCheck(APPROVAL, GateCheck.Status.PENDING, "'" + in.environment()
                    + "' needs a manual approval: POST .../promotions/{id}/approval", Map.of());
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("approved_by", approval.by());
        evidence.put("approved_at", approval.at().toString());
        if (approval.reason() != null) {
            evidence.put("reason", approval.reason());
        }
        return GateCheck.passed(APPROVAL, "approved by " + approval.by(), evidence);
    }

    private static String seconds(Duration d) {
        return Math.max(0, d.toMillis()) / 1000.0 + " s";
    }
}
