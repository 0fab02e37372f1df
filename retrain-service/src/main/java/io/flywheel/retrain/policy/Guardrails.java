package io.flywheel.retrain.policy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Whether a trigger may start a job: the guardrails that keep signals from becoming a storm of
 * jobs. Plain Java; the caller gathers the model's history under a lock and records the verdict.
 * Checked in this order, the first that refuses gives the reason: duplicate, no policy, disabled,
 * trigger kind not allowed, max concurrent, daily budget, cooldown, minimum new rows. A manual
 * trigger with {@code force} skips cooldown and minimum new rows, never concurrency or budget.
 */
public final class Guardrails {

    /** The stable names of the rules, as recorded with a refused trigger. */
    public static final String DUPLICATE = "duplicate";
    public static final String NO_POLICY = "no-policy";
    public static final String DISABLED = "disabled";
    public static final String TRIGGER_NOT_ALLOWED = "trigger-not-allowed";
    public static final String MAX_CONCURRENT = "max-concurrent";
    public static final String DAILY_BUDGET = "daily-budget";
    public static final String COOLDOWN = "cooldown";
    public static final String MIN_NEW_ROWS = "min-new-rows";

    /**
     * @param duplicateOf what this trigger repeats (e.g. "event 42ab… already received as trigger 17"), or null
     */
    public record Request(String model, TriggerKind kind, boolean force, String duplicateOf) {
    }

    /**
     * The model's recent jobs and data, as of the decision.
     *
     * @param activeJobs   jobs of the model that are pending or running
     * @param jobsToday    jobs of the model created since {@link #dayStart} of now
     * @param lastJobAt    when the model's latest (not cancelled) job ended, or started if it still runs; null if none
     * @param lastJobId    that job's id, for the message
     * @param newRows      labelled rows since {@code newRowsSince}; null when not counted
     * @param newRowsSince the last job's data cut-off (or the start of the data window)
     */
    public record History(int activeJobs, int jobsToday, Instant lastJobAt, String lastJobId, Long newRows,
                          Instant newRowsSince) {
        public static History none() {
            return new History(0, 0, null, null, null, null);
        }
    }

    /** {@code rule} is null when accepted. */
    public record Verdict(boolean accepted, String rule, String reason) {
        static Verdict refuse(String rule, String reason) {
            return new Verdict(false, rule, reason);
        }
    }

    private Guardrails() {
    }

    /** @param policy the model's normalised policy, or null when it has none */
    public static Verdict decide(RetrainPolicy policy, Request request, History history, Instant now) {
        if (request.duplicateOf() != null) {
            return Verdict.refuse(DUPLICATE, "duplicate: " + request.duplicateOf());
        }
        if (policy == null) {
            return Verdict.refuse(NO_POLICY, "no retrain policy for model '" + request.model() + "'");
        }
        if (!policy.enabled()) {
            return Verdict.refuse(DISABLED, "the retrain policy of model '" + request.model() + "' is disabled");
        }
        if (!policy.allows(request.kind())) {
            return Verdict.refuse(TRIGGER_NOT_ALLOWED, "the retrain policy does not let " + request.kind().id()
                    + " triggers start jobs (allowed: " + String.join(", ", policy.triggers().stream().map(TriggerKind::id).toList()) + ")");
        }
        if (history.activeJobs() >= policy.maxConcurrent()) {
            return Verdict.refuse(MAX_CONCURRENT, "max concurrent: " + history.activeJobs() + " job(s) of model '"
                    + request.model() + "' already pending or running (max_concurrent " + policy.maxConcurrent() + ")");
        }
        if (history.jobsToday() >= policy.dailyBudget()) {
            return Verdict.refuse(DAILY_BUDGET, "daily budget used: " + history.jobsToday() + " job(s) since "
                    + dayStart(now) + " (daily_budget " + policy.dailyBudget() + "); next budget from " + dayStart(now).plus(Duration.ofDays(1)));
        }
        if (!request.force() && history.lastJobAt() != null && !policy.cooldown().isZero()) {
            Instant until = history.lastJobAt().plus(policy.cooldown());
            if (now.isBefore(until)) {
                return Verdict.refuse(COOLDOWN, "cooldown: the last job " + history.lastJobId() + " was at " + history.lastJobAt()
                        + "; the policy's cooldown of " + policy.cooldown() + " lasts until " + until);
            }
        }
        if (!request.force() && policy.minNewRows() > 0) {
            if (history.newRows() == null) {
                return Verdict.refuse(MIN_NEW_ROWS, "the new labelled rows could not be counted; the policy needs "
                        + policy.minNewRows());
            }
            if (history.newRows() < policy.minNewRows()) {
                return Verdict.refuse(MIN_NEW_ROWS, "too few new labelled rows: " + history.newRows() + " since "
                        + history.newRowsSince() + ", the policy needs " + policy.minNewRows());
            }
        }
        return new Verdict(true, null, "accepted: every guardrail passed");
    }

    /** The start of the UTC day of {@code now}: the daily budget counts jobs created since. */
    public static Instant dayStart(Instant now) {
        return now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
    }
}
