package io.flywheel.deploy.gate;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.flywheel.deploy.gate.GateCheck.Status.FAILED;
import static io.flywheel.deploy.gate.GateCheck.Status.NOT_REQUIRED;
import static io.flywheel.deploy.gate.GateCheck.Status.NOT_RUN;
import static io.flywheel.deploy.gate.GateCheck.Status.PASSED;
import static io.flywheel.deploy.gate.GateCheck.Status.PENDING;
import static org.assertj.core.api.Assertions.assertThat;

class PromotionGatesTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private final PromotionGates gates = new PromotionGates(new GatePolicy(List.of("roc_auc", "log_loss"), 0.01,
            Set.of("log_loss"), Set.of("production"), "staging", Duration.ofMinutes(30), 100, Set.of("regulated")));

    private static GateInput.VersionFacts ready(int version, Map<String, Double> metrics) {
        return new GateInput.VersionFacts(version, true, metrics);
    }

    private static List<GateCheck.Status> statuses(GateVerdict verdict) {
        return verdict.checks().stream().map(GateCheck::status).toList();
    }

    @Test
    void aFinalisedBetterVersionPassesIntoStaging() {
        GateVerdict v = gates.evaluate(new GateInput("staging", ready(2, Map.of("roc_auc", 0.83, "log_loss", 0.40)),
                ready(1, Map.of("roc_auc", 0.80, "log_loss", 0.45)), null, null, null, NOW));
        assertThat(v.passed()).isTrue();
        assertThat(v.checks()).extracting(GateCheck::gate).containsExactlyElementsOf(PromotionGates.ORDER);
        assertThat(statuses(v)).containsExactly(PASSED, PASSED, PASSED, NOT_REQUIRED, NOT_REQUIRED);
        assertThat(v.checks().get(2).detail()).contains("roc_auc, log_loss");
    }

    @Test
    void aDraftFailsFirstAndTheRestIsNotRun() {
        GateVerdict v = gates.evaluate(new GateInput("staging", new GateInput.VersionFacts(2, false, Map.of()), null, null, null,
                null, NOW));
        assertThat(v.passed()).isFalse();
        assertThat(v.failure().orElseThrow().gate()).isEqualTo(PromotionGates.FINALISED);
        assertThat(v.failure().orElseThrow().detail()).contains("version 2 is a draft");
        assertThat(statuses(v)).containsExactly(FAILED, NOT_RUN, NOT_RUN, NOT_RUN, NOT_RUN);
    }

    @Test
    void anUnservableArtifactFails() {
        GateVerdict v = gates.evaluate(new GateInput("staging", ready(2, Map.of()), null, "the artifact is not a flywheel-linear/v1 model",
                null, null, NOW));
        assertThat(v.failure().orElseThrow().gate()).isEqualTo(PromotionGates.SERVABLE);
    }

    @Test
    void metricsMustBeatTheChampionByTheMargin() {
        GateVerdict tooClose = gates.evaluate(new GateInput("staging", ready(2, Map.of("roc_auc", 0.805)),
                ready(1, Map.of("roc_auc", 0.80)), null, null, null, NOW));
        GateCheck failed = tooClose.failure().orElseThrow();
        assertThat(failed.gate()).isEqualTo(PromotionGates.METRICS);
        assertThat(failed.detail()).contains("roc_auc of version 2 is 0.805, below the required 0.81");
        assertThat(failed.evidence()).containsKey("roc_auc");

        GateVerdict worseLoss = gates.evaluate(new GateInput("staging", ready(2, Map.of("roc_auc", 0.9, "log_loss", 0.5)),
                ready(1, Map.of("roc_auc", 0.8, "log_loss", 0.45)), null, null, null, NOW));
        assertThat(worseLoss.failure().orElseThrow().detail()).contains("log_loss of version 2 is 0.5, above the required 0.44");

        GateVerdict missing = gates.evaluate(new GateInput("staging", ready(2, Map.of()), ready(1, Map.of("roc_auc", 0.8)), null,
                null, null, NOW));
        assertThat(missing.failure().orElseThrow().detail()).contains("the candidate reports no roc_auc");
    }

    @Test
    void retrainingsEvaluationOnTheSameRowsOutranksMetricsFromDifferentHoldouts() {
        // registered on their own holdouts, version 2 looks worse (0.62 < 0.80); on the same rows it wins (0.62 > 0.50)
        GateInput.HeadToHead sameRows = new GateInput.HeadToHead(1, Map.of("roc_auc", 0.62, "log_loss", 0.20),
                Map.of("roc_auc", 0.50, "log_loss", 0.65));
        GateInput.VersionFacts candidate = new GateInput.VersionFacts(2, true, Map.of("roc_auc", 0.62, "log_loss", 0.20), sameRows);
        GateVerdict fair = gates.evaluate(new GateInput("staging", candidate, ready(1, Map.of("roc_auc", 0.80, "log_loss", 0.35)),
                null, null, null, NOW));
        assertThat(fair.passed()).isTrue();
        assertThat(fair.checks().stream().filter(c -> c.gate().equals(PromotionGates.METRICS)).findFirst().orElseThrow()
                .evidence()).containsEntry("basis", "retraining's evaluation of both versions on the same holdout");

        // an evaluation against another champion is no evidence about this one: registered metrics decide
        GateInput.VersionFacts againstOther = new GateInput.VersionFacts(2, true, Map.of("roc_auc", 0.62),
                new GateInput.HeadToHead(7, Map.of("roc_auc", 0.62), Map.of("roc_auc", 0.10)));
        assertThat(gates.evaluate(new GateInput("staging", againstOther, ready(1, Map.of("roc_auc", 0.80)), null, null, null, NOW))
                .failure().orElseThrow().gate()).isEqualTo(PromotionGates.METRICS);
    }

    @Test
    void withoutAChampionOrComparableMetricsTheMetricsGatePasses() {
        assertThat(gates.evaluate(new GateInput("staging", ready(1, Map.of()), null, null, null, null, NOW)).passed()).isTrue();
        GateVerdict nothingShared = gates.evaluate(new GateInput("staging", ready(2, Map.of("mae", 1.0)), ready(1, Map.of("mae", 2.0)),
                null, null, null, NOW));
        assertThat(nothingShared.passed()).isTrue();
        assertThat(nothingShared.checks().get(2).detail()).contains("nothing to compare");
    }

    @Test
    void productionNeedsASoakInStaging() {
        GateInput.VersionFacts candidate = ready(2, Map.of());
        GateVerdict notThere = gates.evaluate(new GateInput("production", candidate, null, null,
                new GateInput.SoakFacts("staging", null, 0, List.of()), null, NOW));
        assertThat(notThere.failure().orElseThrow().detail()).contains("is not live in 'staging'");

        GateVerdict tooShort = gates.evaluate(new GateInput("production", candidate, null, null,
                new GateInput.SoakFacts("staging", NOW.minusSeconds(600), 500, List.of()), null, NOW));
        assertThat(tooShort.failure().orElseThrow().detail()).contains("soaked in 'staging' for 600.0 s of 1800.0 s");

        GateVerdict tooFew = gates.evaluate(new GateInput("production", candidate, null, null,
                new GateInput.SoakFacts("staging", NOW.minusSeconds(3600), 99, List.of()), null, NOW));
        assertThat(tooFew.failure().orElseThrow().detail()).contains("served 99 of 100 predictions");

        GateVerdict degraded = gates.evaluate(new GateInput("production", candidate, null, null,
                new GateInput.SoakFacts("staging", NOW.minusSeconds(3600), 500, List.of("quality: roc_auc = 0.6")), null, NOW));
        assertThat(degraded.failure().orElseThrow().detail()).contains("degraded while it soaked").contains("roc_auc = 0.6");

        GateVerdict soaked = gates.evaluate(new GateInput("production", candidate, null, null,
                new GateInput.SoakFacts("staging", NOW.minusSeconds(3600), 500, List.of()), null, NOW));
        assertThat(soaked.passed()).isTrue();
        assertThat(soaked.checks().get(3).status()).isEqualTo(PASSED);
        assertThat(soaked.checks().get(3).evidence()).containsEntry("samples", 500L);
    }

    @Test
    void aManualApprovalIsPendingUntilSomeoneApproves() {
        GateVerdict waiting = gates.evaluate(new GateInput("regulated", ready(1, Map.of()), null, null, null, null, NOW));
        assertThat(waiting.awaitingApproval()).isTrue();
        assertThat(waiting.passed()).isFalse();
        assertThat(statuses(waiting).getLast()).isEqualTo(PENDING);

        GateVerdict approved = gates.evaluate(new GateInput("regulated", ready(1, Map.of()), null, null, null,
                new GateInput.Approval("alice", NOW, "looks good"), NOW));
        assertThat(approved.passed()).isTrue();
        assertThat(approved.checks().getLast().detail()).isEqualTo("approved by alice");
    }
}
