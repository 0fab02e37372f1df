package io.flywheel.retrain.evaluation;

import io.flywheel.linear.Dataset;
import io.flywheel.linear.LinearModel;
import io.flywheel.linear.Task;
import io.flywheel.linear.Trainer;
import io.flywheel.linear.TrainingParams;
import io.flywheel.retrain.policy.RetrainPolicy;
import io.flywheel.retrain.support.Rows;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class EvaluatorTest {

    private static final Instant AT = Instant.parse("2026-11-26T10:00:00Z");

    private static RetrainPolicy policy(double margin) {
        return new RetrainPolicy(null, null, null, null, null, null, null, null,
                new RetrainPolicy.Trainer(null, null, Map.of("task", "binary-classification", "target", "churned")),
                new RetrainPolicy.EvaluationRule("roc_auc", margin, null), null).normalise("churn", Set.of(RetrainPolicy.LINEAR_TRAINER));
    }

    private static LinearModel train(Dataset data, List<String> features) {
        return Trainer.train(data, TrainingParams.of(Task.BINARY_CLASSIFICATION, "churned").withFeatures(features), AT, null).model();
    }

    @Test
    void candidateAndChampionAreScoredOnTheTrainersOwnHoldout() {
        Dataset data = Dataset.of(Rows.churn(300, 1));
        LinearModel candidate = Trainer.train(data, TrainingParams.of(Task.BINARY_CLASSIFICATION, "churned"), AT, null).model();
        LinearModel weak = train(Dataset.of(Rows.churn(300, 2)), List.of("noise"));

        EvaluationReport report = Evaluator.evaluate(policy(0.05), data, candidate, 7, weak, null);

        assertThat(report.holdoutRows()).isEqualTo(60);
        assertThat(report.seed()).isEqualTo(42);
        Dataset holdout = data.split(0.2, 42).holdout();
        assertThat(report.candidate().get("roc_auc")).isEqualTo(io.flywheel.linear.Evaluation.evaluate(candidate, holdout).get("roc_auc"));
        assertThat(report.champion().get("roc_auc")).isEqualTo(io.flywheel.linear.Evaluation.evaluate(weak, holdout).get("roc_auc"));
        assertThat(report.candidate().get("roc_auc")).isGreaterThan(0.8);
        assertThat(report.promote()).isTrue();
        assertThat(report.championVersion()).isEqualTo(7);
        assertThat(report.improvement()).isGreaterThan(0.2);
    }

    @Test
    void aWorseCandidateIsRejected() {
        Dataset data = Dataset.of(Rows.churn(300, 3));
        LinearModel strong = Trainer.train(Dataset.of(Rows.churn(2000, 4)), TrainingParams.of(Task.BINARY_CLASSIFICATION, "churned"), AT, null).model();
        LinearModel candidate = train(data, List.of("noise"));

        EvaluationReport report = Evaluator.evaluate(policy(0.0), data, candidate, 2, strong, null);

        assertThat(report.decision()).isEqualTo(EvaluationReport.REJECT);
        assertThat(report.improvement()).isNegative();
        assertThat(report.reason()).startsWith("does not beat the champion by the margin");
    }

    @Test
    void aChampionThatCannotScoreTheHoldoutMeansNoPromotion() {
        Dataset data = Dataset.of(Rows.churn(200, 5));
        LinearModel candidate = train(data, List.of("x1", "x2"));
        Dataset other = Dataset.of(Rows.churn(200, 6).stream().map(r -> {
            var copy = new java.util.LinkedHashMap<>(r);
            copy.put("tenure", 3);
            return (Map<String, Object>) copy;
        }).toList());
        LinearModel champion = train(other, List.of("x1", "tenure"));

        EvaluationReport report = Evaluator.evaluate(policy(0.0), data, candidate, 1, champion, null);

        assertThat(report.promote()).isFalse();
        assertThat(report.championProblem()).contains("tenure");
        assertThat(report.champion()).isNull();
    }
}
