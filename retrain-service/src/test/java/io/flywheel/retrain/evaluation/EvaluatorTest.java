package io.flywheel.retrain.evaluation;

import io.flywheel.linear.Dataset;
import io.flywheel.linear.LinearModel;
import io.flywheel.linear.Task;
import io.flywheel.linear.Trainer;
import io.flywheel.linear.TrainingParams;
import io.flywheel.retrain.policy.RetrainPolicy;
import io.flywheel.retrain.registry.RegistryDtos;
import io.flywheel.retrain.support.BreastCancer;
import io.flywheel.retrain.support.Rows;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EvaluatorTest {

    private static final Instant AT = Instant.parse("2026-11-26T10:00:00Z");

    private static RetrainPolicy policy(double margin) {
        return new RetrainPolicy(null, null, null, null, null, null, null, null,
                new RetrainPolicy.Trainer(null, null, Map.of("task", "binary-classification", "target", "churned")),
                new RetrainPolicy.EvaluationRule("roc_auc", margin, null), null, null).normalise("churn", Set.of(RetrainPolicy.LINEAR_TRAINER));
    }

    private static LinearModel train(Dataset data, List<String> features) {
        return Trainer.train(data, TrainingParams.of(Task.BINARY_CLASSIFICATION, "churned").withFeatures(features), AT, null).model();
    }

    @Test
    void candidateAndChampionAreScoredOnTheTrainersOwnHoldout() {
        Dataset data = Dataset.of(Rows.churn(300, 1));
        LinearModel candidate = Trainer.train(data, TrainingParams.of(Task.BINARY_CLASSIFICATION, "churned"), AT, null).model();
        LinearModel weak = train(Dataset.of(Rows.churn(300, 2)), List.of("noise"));

        EvaluationReport report = Evaluator.evaluate(policy(0.05), data, new LinearPredictor(candidate), 7, new LinearPredictor(weak), null);

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

        EvaluationReport report = Evaluator.evaluate(policy(0.0), data, new LinearPredictor(candidate), 2, new LinearPredictor(strong), null);

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

        EvaluationReport report = Evaluator.evaluate(policy(0.0), data, new LinearPredictor(candidate), 1, new LinearPredictor(champion), null);

        assertThat(report.promote()).isFalse();
        assertThat(report.championProblem()).contains("tenure");
        assertThat(report.champion()).isNull();
    }

    // --- candidates and champions of different formats, on the same holdout rows

    private static RetrainPolicy breastCancerPolicy(String task) {
        return new RetrainPolicy(null, null, null, null, null, null, null, null,
                new RetrainPolicy.Trainer("sklearn", null, Map.of("task", task, "target", BreastCancer.TARGET)),
                new RetrainPolicy.EvaluationRule(null, 0.0, null), null, null).normalise("cancer", Set.of(RetrainPolicy.LINEAR_TRAINER, "sklearn"));
    }

    /** A flywheel-linear model on a few of the features, fitted on the rows the holdout leaves. */
    private static LinearModel linearOnBreastCancer(Dataset data) {
        return Trainer.train(data, TrainingParams.of(Task.BINARY_CLASSIFICATION, BreastCancer.TARGET)
                .withFeatures(List.of("mean radius", "mean texture")), AT, null).model();
    }

    @Test
    void anOnnxCandidateAndALinearChampionAreScoredOnTheSameHoldoutRowsWithTheSameMetrics() {
        Dataset data = Dataset.of(BreastCancer.rows());
        Dataset holdout = data.split(0.2, 42).holdout();
        LinearModel linear = linearOnBreastCancer(data);
        try (OnnxPredictor onnx = OnnxPredictor.load(BreastCancer.onnx(true), BreastCancer.features())) {

            EvaluationReport report = Evaluator.evaluate(breastCancerPolicy("binary-classification"), data, onnx, 3,
                    new LinearPredictor(linear), null);

            JsonNode sklearn = BreastCancer.sklearnMetrics().get("holdout");
            assertThat(report.holdoutRows()).isEqualTo(sklearn.get("indices").size()).isEqualTo(23);
            // the candidate's metrics are scikit-learn's on exactly the rows retrain held out
            sklearn.get("metrics").properties().forEach(e -> assertThat(report.candidate().get(e.getKey())).as(e.getKey())
                    .isCloseTo(e.getValue().asDouble(), within(1e-6)));
            // and the champion's are linear-model's own Evaluation on the same rows
            assertThat(report.champion()).isEqualTo(Evaluator.finite(io.flywheel.linear.Evaluation.evaluate(linear, holdout)));
            assertThat(report.candidateFormat()).isEqualTo("onnx");
            assertThat(report.championFormat()).isEqualTo("flywheel-linear");
            assertThat(report.metric()).isEqualTo("roc_auc");
            assertThat(report.improvement()).isCloseTo(report.candidate().get("roc_auc") - report.champion().get("roc_auc"), within(1e-12));
            assertThat(report.promote()).isEqualTo(report.improvement() > 0);
        }
    }

    @Test
    void aLinearCandidateAndAnOnnxChampionAreScoredOnTheSameHoldoutRowsWithTheSameMetrics() {
        Dataset data = Dataset.of(BreastCancer.rows());
        LinearModel linear = linearOnBreastCancer(data);
        try (OnnxPredictor onnx = OnnxPredictor.load(BreastCancer.onnx(false), BreastCancer.features())) {

            EvaluationReport report = Evaluator.evaluate(breastCancerPolicy("binary-classification"), data, new LinearPredictor(linear), 5,
                    onnx, null);

            JsonNode sklearn = BreastCancer.sklearnMetrics().get("holdout").get("metrics");
            sklearn.properties().forEach(e -> assertThat(report.champion().get(e.getKey())).as(e.getKey())
                    .isCloseTo(e.getValue().asDouble(), within(1e-6)));
            assertThat(report.championFormat()).isEqualTo("onnx");
            assertThat(report.candidateFormat()).isEqualTo("flywheel-linear");
            assertThat(report.championProblem()).isNull();
            // the pipeline on 30 features ranks this holdout perfectly; two features can't beat it
            assertThat(report.champion().get("roc_auc")).isEqualTo(1.0);
            assertThat(report.promote()).isFalse();
            assertThat(report.reason()).startsWith("does not beat the champion by the margin: candidate roc_auc");
        }
    }

    @Test
    void anExternalChampionCantBeScoredOfflineAndSaysSo() {
        Dataset data = Dataset.of(BreastCancer.rows());
        RegistryDtos.Version external = new RegistryDtos.Version("cancer", 4, "ready", "triton", "external", null, null, null, null,
                null, new RegistryDtos.Endpoint("https://models.example.com/v2/models/cancer"));
        String problem = null;
        try {
            Champions.load(external, null).close();
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        }
        assertThat(problem).isEqualTo("it is an external model (format external, served at https://models.example.com/v2/models/cancer): "
                + "it has no artifact, so retrain can't score it offline on the holdout");
        try (OnnxPredictor onnx = OnnxPredictor.load(BreastCancer.onnx(true), BreastCancer.features())) {

            EvaluationReport report = Evaluator.evaluate(breastCancerPolicy("binary-classification"), data, onnx, 4, null, problem);

            assertThat(report.promote()).isFalse();
            assertThat(report.champion()).isNull();
            assertThat(report.championVersion()).isEqualTo(4);
            assertThat(report.championProblem()).isEqualTo(problem);
            assertThat(report.reason()).isEqualTo("the champion (version 4) could not be scored on the holdout, so there is no fair "
                    + "comparison: " + problem);
            assertThat(report.candidate().get("roc_auc")).isEqualTo(1.0);
        }
    }

    @Test
    void aCandidateThatDoesNotDoThePolicysTaskFailsTheJob() {
        try (OnnxPredictor onnx = OnnxPredictor.load(BreastCancer.onnx(true), BreastCancer.features())) {
            assertThatThrownBy(() -> Evaluator.evaluate(breastCancerPolicy("regression"), Dataset.of(BreastCancer.rows()), onnx, null, null, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the candidate (onnx) is a binary-classification model, but the policy's task is regression");
        }
    }
}
