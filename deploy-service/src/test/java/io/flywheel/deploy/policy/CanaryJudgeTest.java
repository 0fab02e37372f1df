package io.flywheel.deploy.policy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.flywheel.deploy.policy.CanaryJudge.Status.FAILED;
import static io.flywheel.deploy.policy.CanaryJudge.Status.PASSED;
import static io.flywheel.deploy.policy.CanaryJudge.Status.WAITING;
import static org.assertj.core.api.Assertions.assertThat;

class CanaryJudgeTest {

    private static final PromotionPolicy.Judge ALL = new PromotionPolicy.Judge(
            new PromotionPolicy.QualityRule("accuracy", 0.05, 30),
            new PromotionPolicy.ErrorRule(0.01, 50),
            new PromotionPolicy.LatencyRule(2.0, 20.0, 50));

    private static CanaryJudge.VersionEvidence version(int v, long requests, long errors, Double p99, double accuracy, long labelled) {
        return new CanaryJudge.VersionEvidence(v, requests, errors, p99, Map.of("accuracy", accuracy, "log_loss", 1 - accuracy), labelled);
    }

    @Test
    void aCandidateAsGoodAsTheChampionPassesEveryCriterion() {
        var j = CanaryJudge.judge(ALL, version(2, 100, 1, 3.0, 0.80, 40), version(1, 300, 2, 2.5, 0.82, 120));
        assertThat(j.verdicts()).extracting(CanaryJudge.Verdict::status).containsExactly(PASSED, PASSED, PASSED);
        assertThat(j.failed()).isEmpty();
        assertThat(j.waiting()).isFalse();
        assertThat(j.summary()).isEqualTo("all criteria passed");
    }

    @Test
    void qualityMoreThanTheMarginBelowTheChampionFailsWithItsNumbers() {
        var j = CanaryJudge.judge(ALL, version(3, 100, 0, 3.0, 0.61, 45), version(2, 300, 0, 3.0, 0.80, 150));
        CanaryJudge.Verdict quality = j.verdicts().getFirst();
        assertThat(quality.status()).isEqualTo(FAILED);
        assertThat(quality.detail()).isEqualTo("accuracy 0.61 against the champion's 0.8: worse by 0.19, more than the 0.05 allowed");
        assertThat((double) quality.numbers().get("worse_by")).isCloseTo(0.19, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(j.rollbacks(Set.of("quality"))).containsExactly(quality);
        assertThat(j.rollbacks(Set.of("latency_p99"))).isEmpty(); // not named: it only holds the step
    }

    @Test
    void lowerIsBetterMetricsAreComparedTheOtherWayRound() {
        var rule = new PromotionPolicy.QualityRule("log_loss", 0.05, 30);
        // log_loss here is 1 - accuracy: the candidate's 0.39 is 0.19 worse than the champion's 0.20
        assertThat(CanaryJudge.quality(rule, version(3, 0, 0, null, 0.61, 45), version(2, 0, 0, null, 0.80, 45)).status()).isEqualTo(FAILED);
        assertThat(CanaryJudge.quality(rule, version(3, 0, 0, null, 0.90, 45), version(2, 0, 0, null, 0.80, 45)).status()).isEqualTo(PASSED);
    }

    @Test
    void tooFewLabelsOrRequestsWaitInsteadOfDeciding() {
        var j = CanaryJudge.judge(ALL, version(2, 10, 5, 90.0, 0.10, 29), version(1, 300, 0, 1.0, 0.90, 150));
        assertThat(j.verdicts()).extracting(CanaryJudge.Verdict::status).containsExactly(WAITING, WAITING, WAITING);
        assertThat(j.waiting()).isTrue();
        assertThat(j.failed()).isEmpty();
        assertThat(j.verdicts().getFirst().detail()).isEqualTo("waiting for 30 labelled predictions of each version (candidate 29, champion 150)");
    }

    @Test
    void errorRateIsJudgedAsTheIncreaseOverTheChampions() {
        var rule = new PromotionPolicy.ErrorRule(0.01, 50);
        var failing = CanaryJudge.errorRate(rule, version(2, 200, 6, 1.0, 0, 0), version(1, 800, 8, 1.0, 0, 0));
        assertThat(failing.status()).isEqualTo(FAILED); // 3% against 1%
        assertThat(failing.detail()).isEqualTo("error rate 3.0% against the champion's 1.0%: up by more than the 1.0% allowed");
        assertThat(CanaryJudge.errorRate(rule, version(2, 200, 4, 1.0, 0, 0), version(1, 800, 8, 1.0, 0, 0)).status()).isEqualTo(PASSED);
    }

    @Test
    void latencyFailsOnTheRatioToTheChampionOrTheBudget() {
        var ratioOnly = new PromotionPolicy.LatencyRule(2.0, null, 50);
        var slow = CanaryJudge.latency(ratioOnly, version(2, 100, 0, 7.5, 0, 0), version(1, 100, 0, 2.5, 0, 0));
        assertThat(slow.status()).isEqualTo(FAILED);
        assertThat(slow.detail()).isEqualTo("p99 7.5 ms against the champion's 2.5 ms: 3.0x the champion's, more than the 2.0x allowed");
        var budget = new PromotionPolicy.LatencyRule(null, 5.0, 50);
        assertThat(CanaryJudge.latency(budget, version(2, 100, 0, 7.5, 0, 0), version(1, 0, 0, null, 0, 0)).detail())
                .isEqualTo("p99 7.5 ms: over the budget of 5.0 ms");
        assertThat(CanaryJudge.latency(ratioOnly, version(2, 100, 0, 7.5, 0, 0), version(1, 0, 0, null, 0, 0)).status())
                .isEqualTo(WAITING); // nothing to compare with
    }

    @Test
    void evidenceNamesEveryCriterionWithItsStatusAndNumbers() {
        var j = CanaryJudge.judge(ALL, version(3, 100, 0, 3.0, 0.61, 45), version(2, 300, 0, 3.0, 0.80, 150));
        Map<String, Object> evidence = j.evidence();
        assertThat(evidence).containsOnlyKeys("quality", "error_rate", "latency_p99");
        @SuppressWarnings("unchecked")
        Map<String, Object> quality = (Map<String, Object>) evidence.get("quality");
        assertThat(quality).containsEntry("status", "failed").containsEntry("candidate", 0.61).containsEntry("champion", 0.80)
                .containsEntry("candidate_labelled", 45L);
        assertThat(List.copyOf(evidence.keySet())).containsExactly("quality", "error_rate", "latency_p99");
    }
}
