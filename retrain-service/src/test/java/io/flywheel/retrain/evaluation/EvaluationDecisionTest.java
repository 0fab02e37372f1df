package io.flywheel.retrain.evaluation;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EvaluationDecisionTest {

    @Test
    void aCandidateThatBeatsTheChampionByTheMarginIsPromoted() {
        var outcome = EvaluationDecision.decide("roc_auc", true, 0.01, Map.of("roc_auc", 0.80), Map.of("roc_auc", 0.75), 3, null);
        assertThat(outcome.promote()).isTrue();
        assertThat(outcome.improvement()).isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(outcome.reason()).startsWith("beats the champion: candidate roc_auc 0.800000 vs champion (version 3) 0.750000");
    }

    @Test
    void aCandidateWithinTheMarginIsRejected() {
        var outcome = EvaluationDecision.decide("roc_auc", true, 0.1, Map.of("roc_auc", 0.80), Map.of("roc_auc", 0.75), 3, null);
        assertThat(outcome.promote()).isFalse();
        assertThat(outcome.reason()).startsWith("does not beat the champion by the margin");
    }

    @Test
    void aZeroMarginStillAsksForStrictlyBetter() {
        assertThat(EvaluationDecision.decide("accuracy", true, 0, Map.of("accuracy", 0.9), Map.of("accuracy", 0.9), 1, null).promote()).isFalse();
        assertThat(EvaluationDecision.decide("accuracy", true, 0, Map.of("accuracy", 0.91), Map.of("accuracy", 0.9), 1, null).promote()).isTrue();
    }

    @Test
    void forErrorMetricsLowerIsBetter() {
        var better = EvaluationDecision.decide("rmse", false, 0.5, Map.of("rmse", 2.0), Map.of("rmse", 3.0), 2, null);
        assertThat(better.promote()).isTrue();
        assertThat(better.improvement()).isEqualTo(1.0);
        var worse = EvaluationDecision.decide("log_loss", false, 0.0, Map.of("log_loss", 0.7), Map.of("log_loss", 0.5), 2, null);
        assertThat(worse.promote()).isFalse();
        assertThat(worse.improvement()).isCloseTo(-0.2, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void withoutAChampionTheCandidateIsPromoted() {
        var outcome = EvaluationDecision.decide("roc_auc", true, 0.05, Map.of("roc_auc", 0.6), null, null, null);
        assertThat(outcome.promote()).isTrue();
        assertThat(outcome.improvement()).isNull();
        assertThat(outcome.reason()).startsWith("no champion to beat");
    }

    @Test
    void withoutAFairComparisonNothingIsPromoted() {
        assertThat(EvaluationDecision.decide("roc_auc", true, 0, Map.of("roc_auc", 0.9), null, 4, "feature 'age' is missing"))
                .extracting(EvaluationDecision.Outcome::promote, EvaluationDecision.Outcome::reason)
                .containsExactly(false, "the champion (version 4) could not be scored on the holdout, so there is no fair comparison: "
                        + "feature 'age' is missing");
        Map<String, Double> undefined = new HashMap<>();
        undefined.put("roc_auc", null);
        assertThat(EvaluationDecision.decide("roc_auc", true, 0, undefined, Map.of("roc_auc", 0.5), 4, null).reason())
                .isEqualTo("the candidate's roc_auc is undefined on the holdout");
        assertThat(EvaluationDecision.decide("roc_auc", true, 0, Map.of("roc_auc", 0.7), Map.of("roc_auc", Double.NaN), 4, null).promote())
                .isFalse();
    }
}
