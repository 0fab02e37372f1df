package io.flywheel.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinearModelTest {

    /** x: number (mean 10, std 2); n: integer (3, 1); flag: boolean (0.5, 0.5); color: red/green. */
    static final String HAND_WRITTEN = """
            {
              "format": "flywheel-linear/v1",
              "task": "binary-classification",
              "features": [
                {"name": "x", "type": "number", "mean": 10, "std": 2},
                {"name": "n", "type": "integer", "mean": 3, "std": 1},
                {"name": "flag", "type": "boolean", "mean": 0.5, "std": 0.5},
                {"name": "color", "type": "string", "categories": ["red", "green"]}
              ],
              "intercept": 0.1,
              "coefficients": [0.5, -1.0, 2.0, 0.3, -0.2],
              "target": {"name": "bought", "positive_label": "yes", "negative_label": "no"}
            }
            """;

    private final LinearModel model = LinearModel.fromJson(HAND_WRITTEN);

    private static Map<String, Object> input(Object x, Object n, Object flag, Object color) {
        Map<String, Object> map = new HashMap<>();
        map.put("x", x);
        map.put("n", n);
        map.put("flag", flag);
        map.put("color", color);
        return map;
    }

    @Test
    void predictsTheHandComputedProbabilityAndLabel() {
        // eta = 0.1 + 0.5·(12−10)/2 − 1·(4−3)/1 + 2·(1−0.5)/0.5 − 0.2 = 1.4
        Prediction prediction = model.predict(input(12.0, 4, true, "green"));

        assertThat(prediction).isInstanceOf(Prediction.Classification.class);
        Prediction.Classification c = (Prediction.Classification) prediction;
        assertThat(c.probability()).isCloseTo(1 / (1 + Math.exp(-1.4)), within(1e-15));
        assertThat(c.label()).isEqualTo("yes");
        assertThat(c.positive()).isTrue();
        assertThat(model.artifact().threshold()).as("defaulted").isEqualTo(0.5);
    }

    @Test
    void anUnknownCategoryAddsNothingAndExtraKeysAreIgnored() {
        Map<String, Object> in = input(12L, 4L, true, "blue");
        in.put("not_a_feature", "ignored");

        assertThat(model.score(in)).isCloseTo(1 / (1 + Math.exp(-1.6)), within(1e-15));
        assertThat(model.categoryIndex(3, "blue")).isEqualTo(-1);
        assertThat(model.categoryIndex(3, "green")).isEqualTo(1);
    }

    @Test
    void theLabelIsPositiveFromTheThresholdOn() {
        assertThat(model.toPrediction(0.5)).isEqualTo(new Prediction.Classification(0.5, "yes", true));
        assertThat(model.toPrediction(0.4999)).isEqualTo(new Prediction.Classification(0.4999, "no", false));
    }

    @Test
    void mapAndArrayPathsAgreeBitForBitOnTheReferenceData() {
        for (String file : List.of(TestData.CLASSIFICATION_CSV, TestData.REGRESSION_JSONL)) {
            Dataset data = TestData.dataset(file);
            Task task = file.endsWith(".csv") ? Task.BINARY_CLASSIFICATION : Task.REGRESSION;
            LinearModel trained = Trainer.train(data, TrainingParams.of(task, file.endsWith(".csv") ? "churned" : "y"),
                    null, null).model();
            double[] x = new double[trained.featureCount()];
            for (Map<String, Object> row : data.rows()) {
                trained.encode(row, x);
                assertThat(trained.score(x)).isEqualTo(trained.score(row));
                assertThat(trained.predict(x)).isEqualTo(trained.predict(row));
            }
        }
    }

    @Test
    void regressionReturnsTheLinearPredictor() {
        LinearModel regression = LinearModel.fromJson("""
                {"format": "flywheel-linear/v1", "task": "regression",
                 "features": [{"name": "a", "type": "number", "mean": 1, "std": 4}],
                 "intercept": 3, "coefficients": [2], "target": {"name": "y"}}
                """);

        assertThat(regression.predict(Map.of("a", 9))).isEqualTo(new Prediction.Regression(7.0));
        assertThat(regression.score(new double[] {-3})).isEqualTo(1.0);
    }

    @Test
    void missingNullAndWrongTypesNameTheFeature() {
        Map<String, Object> missing = input(12.0, 4, true, "red");
        missing.remove("n");
        assertInvalid(missing, "n", "feature 'n' is missing");
        assertInvalid(input(null, 4, true, "red"), "x", "feature 'x' is null");
        assertInvalid(input("12", 4, true, "red"), "x", "feature 'x' must be a number, got a string (\"12\")");
        assertInvalid(input(12.0, 4.5, true, "red"), "n", "feature 'n' must be an integer, got a number (4.5)");
        assertInvalid(input(12.0, "4", true, "red"), "n", "feature 'n' must be an integer, got a string (\"4\")");
        assertInvalid(input(12.0, 4, 1, "red"), "flag", "feature 'flag' must be a boolean, got a number (1)");
        assertInvalid(input(12.0, 4, true, 7), "color", "feature 'color' must be a string, got a number (7)");
    }

    @Test
    void nonFiniteNumbersAreRefusedOnBothPaths() {
        assertInvalid(input(Double.NaN, 4, true, "red"), "x", "feature 'x' must be a finite number, got NaN");
        assertInvalid(input(Double.POSITIVE_INFINITY, 4, true, "red"), "x",
                "feature 'x' must be a finite number, got Infinity");
        assertThatThrownBy(() -> model.score(new double[] {Double.NaN, 4, 1, 0}))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("feature 'x' must be a finite number, got NaN");
    }

    @Test
    void theArrayFormIsChecked() {
        assertThatThrownBy(() -> model.score(new double[] {12, 4, 1}))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("expected 4 feature values in the order x, n, flag, color; got 3");
        assertThatThrownBy(() -> model.score(new double[] {12, 4.5, 1, 0}))
                .hasMessage("feature 'n' must be an integer, got 4.5");
        assertThatThrownBy(() -> model.score(new double[] {12, 4, 2, 0}))
                .hasMessage("feature 'flag' must be 0 or 1 (false or true), got 2.0");
        assertThatThrownBy(() -> model.score(new double[] {12, 4, 1, 2}))
                .hasMessage("feature 'color' must be a category index from -1 (unknown) to 1, got 2.0");
        assertThat(model.score(new double[] {12, 4, 1, -1})).isEqualTo(model.score(input(12, 4, true, "blue")));
    }

    @Test
    void scoringDoesNotAllocate() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Map<String, Object> in = input(12.0, 4L, true, "green");
        double[] x = {12, 4, 1, 1};
        double sink = 0;
        for (int i = 0; i < 20_000; i++) {
            sink += model.score(in) + model.score(x);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            sink += model.score(in) + model.score(x);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(sink).isPositive();
        assertThat(allocated).as("bytes allocated by 200,000 scores").isLessThan(10_000);
    }

    private void assertInvalid(Map<String, Object> in, String feature, String message) {
        assertThatThrownBy(() -> model.predict(in))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.feature()).isEqualTo(feature))
                .hasMessage(message);
    }
}
