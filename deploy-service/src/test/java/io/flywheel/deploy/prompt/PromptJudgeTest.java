package io.flywheel.deploy.prompt;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class PromptJudgeTest {

    private static final PromptPolicy POLICY = new PromptPolicy(20, Duration.ofMinutes(10), Duration.ofHours(1), 30, 0.05, 0.02);

    private static PromptJudge.Decision decide(long cCount, Double cMean, long bCount, Double bMean, Duration elapsed, String degraded) {
        return PromptJudge.decide(POLICY, "helpful", new PromptJudge.VersionScores(2, cCount, cMean),
                new PromptJudge.VersionScores(1, bCount, bMean), elapsed, degraded);
    }

    @Test
    void aCandidateBelowTheBaselineByMoreThanMaxDropRollsBackAtOnce() {
        PromptJudge.Decision d = decide(30, 0.70, 120, 0.80, Duration.ofMinutes(1), null);
        assertThat(d.outcome()).isEqualTo(PromptJudge.Outcome.ROLL_BACK);
        assertThat(d.trigger()).isEqualTo("scores");
        assertThat(d.reason()).contains("candidate v2 mean 0.7").contains("baseline v1 mean 0.8");
        assertThat((Double) d.evidence().get("drop")).isCloseTo(0.10, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aDropWithinMaxDropHoldsAndNeverPromotesOutsideTheMargin() {
        assertThat(decide(30, 0.76, 120, 0.80, Duration.ofMinutes(1), null).outcome()).isEqualTo(PromptJudge.Outcome.HOLD);
        PromptJudge.Decision d = decide(30, 0.76, 120, 0.80, Duration.ofMinutes(20), null);
        assertThat(d.outcome()).isEqualTo(PromptJudge.Outcome.HOLD);
        assertThat(d.reason()).contains("more than margin 0.02");
    }

    @Test
    void tooFewScoresNeitherRollBackNorPromote() {
        PromptJudge.Decision d = decide(29, 0.10, 120, 0.90, Duration.ofMinutes(20), null);
        assertThat(d.outcome()).isEqualTo(PromptJudge.Outcome.HOLD);
        assertThat(d.reason()).contains("waiting for 30 scores per version (candidate 29, baseline 120)");
        assertThat(decide(100, 0.9, 29, 0.5, Duration.ofMinutes(20), null).outcome()).isEqualTo(PromptJudge.Outcome.HOLD);
        assertThat(decide(0, null, 0, null, Duration.ofMinutes(20), null).outcome()).isEqualTo(PromptJudge.Outcome.HOLD);
    }

    @Test
    void asGoodAfterTheMinimumDurationPromotes() {
        assertThat(decide(30, 0.79, 120, 0.80, Duration.ofMinutes(9), null).outcome()).isEqualTo(PromptJudge.Outcome.HOLD);
        PromptJudge.Decision d = decide(30, 0.79, 120, 0.80, Duration.ofMinutes(10), null);
        assertThat(d.outcome()).isEqualTo(PromptJudge.Outcome.PROMOTE);
        assertThat(decide(30, 0.95, 120, 0.80, Duration.ofMinutes(10), null).outcome()).isEqualTo(PromptJudge.Outcome.PROMOTE);
    }

    @Test
    void theMonitorsDegradationRollsBackWhateverTheScores() {
        PromptJudge.Decision d = decide(30, 0.95, 120, 0.80, Duration.ofMinutes(30), "helpful score_mean = 0.2");
        assertThat(d.outcome()).isEqualTo(PromptJudge.Outcome.ROLL_BACK);
        assertThat(d.trigger()).isEqualTo("monitor");
        assertThat(d.evidence()).containsEntry("degradation", "helpful score_mean = 0.2");
    }

    @Test
    void undecidedAfterMaxDurationRollsBackAsInconclusive() {
        PromptJudge.Decision d = decide(5, 0.9, 120, 0.80, Duration.ofHours(1), null);
        assertThat(d.outcome()).isEqualTo(PromptJudge.Outcome.ROLL_BACK);
        assertThat(d.trigger()).isEqualTo("inconclusive");
        assertThat(d.reason()).startsWith("undecided after max_duration PT1H: waiting for 30 scores");
    }
}
