package io.flywheel.retrain.policy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class GuardrailsTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    static RetrainPolicy policy(Boolean enabled, List<TriggerKind> kinds, Duration cooldown, Long minRows, Integer maxConcurrent,
                                Integer budget) {
        return new RetrainPolicy(enabled, kinds, null, cooldown, minRows, maxConcurrent, budget, null,
                new RetrainPolicy.Trainer(null, null, Map.of("task", "binary-classification", "target", "churned")), null, null, null)
                .normalise("churn", Set.of(RetrainPolicy.LINEAR_TRAINER));
    }

    private static Guardrails.Request drift() {
        return new Guardrails.Request("churn", TriggerKind.DRIFT, false, null);
    }

    private static Guardrails.History history(int active, int today, Instant lastJobAt, Long newRows) {
        return new Guardrails.History(active, today, lastJobAt, lastJobAt == null ? null : "job-1", newRows, NOW.minus(Duration.ofDays(1)));
    }

    @Test
    void aTriggerWithinEveryGuardrailIsAccepted() {
        var verdict = Guardrails.decide(policy(true, null, Duration.ofHours(1), 100L, 1, 4), drift(),
                history(0, 3, NOW.minus(Duration.ofHours(2)), 150L), NOW);
        assertThat(verdict.accepted()).isTrue();
        assertThat(verdict.rule()).isNull();
    }

    @Test
    void withoutAPolicyOrWithADisabledOneNothingStarts() {
        assertThat(Guardrails.decide(null, drift(), Guardrails.History.none(), NOW))
                .extracting(Guardrails.Verdict::rule, Guardrails.Verdict::reason)
                .containsExactly(Guardrails.NO_POLICY, "no retrain policy for model 'churn'");
        assertThat(Guardrails.decide(policy(false, null, null, null, null, null), drift(), Guardrails.History.none(), NOW).rule())
                .isEqualTo(Guardrails.DISABLED);
    }

    @Test
    void aDuplicateIsRefusedFirstWhateverElseHolds() {
        var verdict = Guardrails.decide(null, new Guardrails.Request("churn", TriggerKind.DRIFT, false, "event e1 was already received as trigger 7"),
                Guardrails.History.none(), NOW);
        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.rule()).isEqualTo(Guardrails.DUPLICATE);
        assertThat(verdict.reason()).isEqualTo("duplicate: event e1 was already received as trigger 7");
    }

    @Test
    void onlyTheKindsThePolicyAllowsStartJobs() {
        var verdict = Guardrails.decide(policy(true, List.of(TriggerKind.SCHEDULE, TriggerKind.MANUAL), null, null, null, null), drift(),
                Guardrails.History.none(), NOW);
        assertThat(verdict.rule()).isEqualTo(Guardrails.TRIGGER_NOT_ALLOWED);
        assertThat(verdict.reason()).contains("does not let drift triggers start jobs (allowed: schedule, manual)");
    }

    @Test
    void maxConcurrentCountsPendingAndRunningJobs() {
        var verdict = Guardrails.decide(policy(true, null, Duration.ZERO, null, 2, 10), drift(), history(2, 2, null, null), NOW);
        assertThat(verdict.rule()).isEqualTo(Guardrails.MAX_CONCURRENT);
        assertThat(verdict.reason()).contains("2 job(s) of model 'churn' already pending or running (max_concurrent 2)");
        assertThat(Guardrails.decide(policy(true, null, Duration.ZERO, null, 3, 10), drift(), history(2, 2, null, null), NOW).accepted()).isTrue();
    }

    @Test
    void theDailyBudgetCountsJobsSinceUtcMidnight() {
        var verdict = Guardrails.decide(policy(true, null, Duration.ZERO, null, 5, 3), drift(), history(0, 3, null, null), NOW);
        assertThat(verdict.rule()).isEqualTo(Guardrails.DAILY_BUDGET);
        assertThat(verdict.reason()).contains("since 2026-11-26T00:00:00Z").contains("next budget from 2026-11-27T00:00:00Z");
        assertThat(Guardrails.dayStart(Instant.parse("2026-11-26T23:59:59Z"))).isEqualTo(Instant.parse("2026-11-26T00:00:00Z"));
    }

    @Test
    void cooldownRunsFromTheLastJobAndForceSkipsIt() {
        RetrainPolicy p = policy(true, null, Duration.ofHours(6), null, 1, 10);
        var refused = Guardrails.decide(p, drift(), history(0, 1, NOW.minus(Duration.ofHours(1)), null), NOW);
        assertThat(refused.rule()).isEqualTo(Guardrails.COOLDOWN);
        assertThat(refused.reason()).contains("cooldown: the last job job-1 was at 2026-11-26T09:00:00Z")
                .contains("lasts until 2026-11-26T15:00:00Z");
        assertThat(Guardrails.decide(p, drift(), history(0, 1, NOW.minus(Duration.ofHours(6)), null), NOW).accepted()).isTrue();
        var forced = Guardrails.decide(p, new Guardrails.Request("churn", TriggerKind.MANUAL, true, null),
                history(0, 1, NOW.minus(Duration.ofHours(1)), null), NOW);
        assertThat(forced.accepted()).isTrue();
    }

    @Test
    void tooFewNewLabelledRowsAreRefusedUnlessForced() {
        RetrainPolicy p = policy(true, null, Duration.ZERO, 500L, 1, 10);
        var refused = Guardrails.decide(p, drift(), history(0, 0, null, 120L), NOW);
        assertThat(refused.rule()).isEqualTo(Guardrails.MIN_NEW_ROWS);
        assertThat(refused.reason()).startsWith("too few new labelled rows: 120 since").endsWith("the policy needs 500");
        assertThat(Guardrails.decide(p, drift(), history(0, 0, null, null), NOW).rule()).isEqualTo(Guardrails.MIN_NEW_ROWS);
        assertThat(Guardrails.decide(p, drift(), history(0, 0, null, 500L), NOW).accepted()).isTrue();
        assertThat(Guardrails.decide(p, new Guardrails.Request("churn", TriggerKind.MANUAL, true, null), history(0, 0, null, 3L), NOW)
                .accepted()).isTrue();
    }

    @Test
    void forceNeverBypassesConcurrencyOrBudget() {
        var forced = new Guardrails.Request("churn", TriggerKind.MANUAL, true, null);
        assertThat(Guardrails.decide(policy(true, null, null, null, 1, 10), forced, history(1, 1, null, null), NOW).rule())
                .isEqualTo(Guardrails.MAX_CONCURRENT);
        assertThat(Guardrails.decide(policy(true, null, null, null, 5, 2), forced, history(0, 2, null, null), NOW).rule())
                .isEqualTo(Guardrails.DAILY_BUDGET);
    }
}
