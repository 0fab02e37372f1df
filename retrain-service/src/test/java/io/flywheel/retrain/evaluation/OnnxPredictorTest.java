package io.flywheel.retrain.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import io.flywheel.linear.Dataset;
import io.flywheel.linear.Task;
import io.flywheel.retrain.support.BreastCancer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * A real scikit-learn model (StandardScaler + LogisticRegression on the breast cancer table, as ONNX)
 * run on ONNX Runtime: its metrics on the 114 rows must be the ones scikit-learn computes from its own
 * predict_proba on the same rows (the reference file made by src/test/python/sklearn_reference_metrics.py).
 * The ONNX probabilities are float32, sklearn's float64: they differ by less than 1e-5, which moves
 * no row across the threshold and no pair of rows in the ranking here, so only log_loss is compared
 * with a tolerance.
 */
class OnnxPredictorTest {

    private static void assertSameMetrics(Map<String, Double> actual, JsonNode expected) {
        assertThat(actual.keySet()).containsExactly("accuracy", "precision", "recall", "f1", "roc_auc", "log_loss");
        for (String metric : List.of("accuracy", "precision", "recall", "f1", "roc_auc")) {
            assertThat(actual.get(metric)).as(metric).isCloseTo(expected.get(metric).asDouble(), within(1e-12));
        }
        assertThat(actual.get("log_loss")).isCloseTo(expected.get("log_loss").asDouble(), within(1e-6));
    }

    @ParameterizedTest(name = "zipmap {0}")
    @ValueSource(booleans = {true, false})
    void aClassifiersMetricsAreScikitLearnsOnTheSameRows(boolean zipMap) {
        try (OnnxPredictor model = OnnxPredictor.load(BreastCancer.onnx(zipMap), BreastCancer.features())) {
            assertThat(model.task()).isEqualTo(Task.BINARY_CLASSIFICATION);
            assertThat(model.format()).isEqualTo("onnx");

            Map<String, Double> metrics = Evaluator.metrics(model, Dataset.of(BreastCancer.rows()), BreastCancer.TARGET);

            assertSameMetrics(metrics, BreastCancer.sklearnMetrics().get("all_rows").get("metrics"));
        }
    }

    @Test
    void thePositiveClassIsTheColumnLabelled1AndBooleanLabelsMatchIntegerClasses() {
        List<Map<String, Object>> rows = BreastCancer.rows().stream().map(r -> {
            Map<String, Object> copy = new LinkedHashMap<>(r);
            copy.put(BreastCancer.TARGET, ((Long) r.get(BreastCancer.TARGET)) == 1L);
            return copy;
        }).toList();
        try (OnnxPredictor model = OnnxPredictor.load(BreastCancer.onnx(true), BreastCancer.features())) {
            Predictor.Scores scores = model.score(Dataset.of(rows), BreastCancer.TARGET);
            JsonNode expected = BreastCancer.expected();
            for (int i = 0; i < rows.size(); i++) {
                assertThat(scores.actual()[i]).isEqualTo(expected.get("true_labels").get(i).asDouble());
                // p(1), the benign column, as sklearn's predict_proba gives it
                assertThat(scores.predicted()[i]).isCloseTo(expected.get("outputs").get("output_probability").get(i).get(1).asDouble(), within(1e-5));
            }
            assertThat(scores.threshold()).isEqualTo(0.5);
        }
    }

    @Test
    void aLabelThatIsNotOneOfTheModelsClassesIsRefusedNamingTheRow() {
        List<Map<String, Object>> rows = new java.util.ArrayList<>(BreastCancer.rows());
        Map<String, Object> odd = new LinkedHashMap<>(rows.get(2));
        odd.put(BreastCancer.TARGET, "maybe");
        rows.set(2, odd);
        List<Map<String, Object>> strings = rows.stream().map(r -> {
            Map<String, Object> copy = new LinkedHashMap<>(r);
            copy.put(BreastCancer.TARGET, String.valueOf(r.get(BreastCancer.TARGET)));
            return copy;
        }).toList();
        try (OnnxPredictor model = OnnxPredictor.load(BreastCancer.onnx(true), BreastCancer.features())) {
            assertThatThrownBy(() -> model.score(Dataset.of(strings), BreastCancer.TARGET))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("row 3: target 'benign' is \"maybe\", not one of the model's classes [0, 1]");
        }
    }

    @Test
    void rowsThatDoNotFitTheMatrixAreRefusedNamingTheRowAndFeature() {
        List<Map<String, Object>> rows = new java.util.ArrayList<>(BreastCancer.rows());
        Map<String, Object> missing = new LinkedHashMap<>(rows.get(4));
        missing.remove("mean texture");
        rows.set(4, missing);
        try (OnnxPredictor model = OnnxPredictor.load(BreastCancer.onnx(false), BreastCancer.features())) {
            assertThatThrownBy(() -> model.score(Dataset.of(rows), BreastCancer.TARGET))
                    .hasMessage("row 5: feature 'mean texture' is missing");
        }
    }

    @Test
    void aSignatureThatDoesNotFitTheModelsMatrixIsRefusedOnLoad() {
        assertThatThrownBy(() -> OnnxPredictor.load(BreastCancer.onnx(true), List.of("mean radius", "mean texture")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one matrix of the signature's features")
                .hasMessageContaining("takes 30 features per row, 2 were named");
        assertThatThrownBy(() -> OnnxPredictor.load("{\"format\": \"flywheel-linear/v1\"}".getBytes(), BreastCancer.features()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not an ONNX model");
    }

    @Test
    void predictGivesThePositiveClassesProbabilityWithoutLabels() {
        List<Map<String, Object>> rows = BreastCancer.rows();
        List<Map<String, Object>> inputs = rows.stream().map(r -> {
            Map<String, Object> copy = new LinkedHashMap<>(r);
            copy.remove(BreastCancer.TARGET);
            return copy;
        }).toList();
        try (OnnxPredictor model = OnnxPredictor.load(BreastCancer.onnx(true), BreastCancer.features())) {
            assertThat(model.predict(inputs)).containsExactly(model.score(Dataset.of(rows), BreastCancer.TARGET).predicted());
            assertThat(model.threshold()).isEqualTo(0.5);
            assertThatThrownBy(() -> model.predict(List.of(Map.of("mean radius", 1.0))))
                    .hasMessage("row 1: feature 'mean texture' is missing");
        }
    }
}
