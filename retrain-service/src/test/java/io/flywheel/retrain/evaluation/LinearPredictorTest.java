package io.flywheel.retrain.evaluation;

import io.flywheel.linear.Dataset;
import io.flywheel.linear.Evaluation;
import io.flywheel.linear.LinearModel;
import io.flywheel.linear.Task;
import io.flywheel.linear.Trainer;
import io.flywheel.linear.TrainingParams;
import io.flywheel.retrain.support.Rows;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Through the predictor, a linear model's metrics are exactly linear-model's own Evaluation (what its trainer reports). */
class LinearPredictorTest {

    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void classificationMetricsAreLinearModelsOwn() {
        Dataset data = Dataset.of(Rows.churn(400, 11));
        LinearModel model = Trainer.train(data, TrainingParams.of(Task.BINARY_CLASSIFICATION, "churned"), AT, null).model();
        Dataset holdout = Dataset.of(Rows.churn(150, 12));

        assertThat(Evaluator.metrics(new LinearPredictor(model), holdout, "churned")).isEqualTo(Evaluation.evaluate(model, holdout));
    }

    @Test
    void regressionMetricsAreLinearModelsOwn() {
        Random random = new Random(5);
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("a", a);
            row.put("b", b);
            row.put("y", 3 * a - b + 10 + random.nextGaussian());
            rows.add(row);
        }
        Dataset data = Dataset.of(rows);
        LinearModel model = Trainer.train(data, TrainingParams.of(Task.REGRESSION, "y"), AT, null).model();
        Dataset holdout = data.split(0.3, 7).holdout();

        assertThat(Evaluator.metrics(new LinearPredictor(model), holdout, "y")).isEqualTo(Evaluation.evaluate(model, holdout))
                .containsOnlyKeys("mae", "rmse", "mape", "r2");
    }

    @Test
    void aLabelThatIsNeitherClassIsRefusedNamingTheRow() {
        LinearModel model = Trainer.train(Dataset.of(Rows.churn(200, 13)), TrainingParams.of(Task.BINARY_CLASSIFICATION, "churned"), AT, null).model();
        List<Map<String, Object>> rows = new java.util.ArrayList<>(Rows.churn(5, 14));
        Map<String, Object> odd = new LinkedHashMap<>(rows.get(1));
        odd.put("churned", "maybe");
        rows.set(1, odd);

        assertThatThrownBy(() -> new LinearPredictor(model).score(Dataset.of(rows), "churned"))
                .hasMessage("row 2: target 'churned' is \"maybe\", neither the positive label \"yes\" nor the negative label \"no\"");
    }

    @Test
    void predictScoresBareInputsAsScoreDoesAndNamesARowItCantTake() {
        LinearModel model = Trainer.train(Dataset.of(Rows.churn(200, 15)), TrainingParams.of(Task.BINARY_CLASSIFICATION, "churned"), AT, null).model();
        Dataset holdout = Dataset.of(Rows.churn(20, 16));
        LinearPredictor predictor = new LinearPredictor(model);

        double[] predicted = predictor.predict(holdout.rows().stream().map(Rows::features).toList());

        assertThat(predicted).containsExactly(predictor.score(holdout, "churned").predicted());
        assertThat(predictor.threshold()).isEqualTo(model.artifact().threshold());
        assertThatThrownBy(() -> predictor.predict(List.of(Map.of("x1", 1.0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("row 1: feature 'x2' is missing");
    }
}
