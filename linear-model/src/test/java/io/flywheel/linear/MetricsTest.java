package io.flywheel.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Metrics against numpy-computed values in reference.json (make_reference.py, sklearn's definitions). */
class MetricsTest {

    private static final JsonNode FIXTURES = TestData.reference().get("metric_fixtures");

    @Test
    void classificationMatchesNumpyWithTiesAndClipping() {
        JsonNode fixture = FIXTURES.get("classification");
        double[] y = TestData.doubles(fixture.get("y_true"));
        double[] p = TestData.doubles(fixture.get("y_score"));

        assertMatches(Metrics.classification(y, p, 0.5), fixture.get("expected"));
        assertMatches(Metrics.classification(y, p, 0.3), fixture.get("expected_threshold_0_3"));
    }

    @Test
    void regressionMatchesNumpyWithAZeroTarget() {
        JsonNode fixture = FIXTURES.get("regression");
        Map<String, Double> metrics = Metrics.regression(TestData.doubles(fixture.get("y_true")),
                TestData.doubles(fixture.get("y_pred")));

        assertMatches(metrics, fixture.get("expected"));
        assertThat(metrics.get("mape")).as("a zero target floored at eps dominates MAPE").isGreaterThan(1e10);
    }

    @Test
    void rocAucCountsTiesAsHalf() {
        // one positive and one negative tied, one positive above: pairs (p1>n)=1, (p2=n)=0.5
        assertThat(Metrics.rocAuc(new double[] {1, 1, 0}, new double[] {0.9, 0.4, 0.4})).isEqualTo(0.75);
        assertThat(Metrics.rocAuc(new double[] {1, 0, 1, 0}, new double[] {0.5, 0.5, 0.5, 0.5})).isEqualTo(0.5);
    }

    @Test
    void undefinedValuesFollowSklearn() {
        Map<String, Double> allNegativePredictions = Metrics.classification(new double[] {1, 1}, new double[] {0.1, 0.2}, 0.5);
        assertThat(allNegativePredictions.get("precision")).isZero();
        assertThat(allNegativePredictions.get("recall")).isZero();
        assertThat(allNegativePredictions.get("f1")).isZero();
        assertThat(allNegativePredictions.get("roc_auc")).as("one class only").isNaN();

        assertThat(Metrics.regression(new double[] {2, 2}, new double[] {2, 2}).get("r2")).isEqualTo(1.0);
        assertThat(Metrics.regression(new double[] {2, 2}, new double[] {1, 3}).get("r2")).isEqualTo(0.0);
    }

    @Test
    void logLossIsClippedSoConfidentMistakesStayFinite() {
        double logLoss = Metrics.classification(new double[] {1}, new double[] {0.0}, 0.5).get("log_loss");
        assertThat(logLoss).isCloseTo(-Math.log(1e-15), within(1e-9));
    }

    @Test
    void refusesEmptyOrMismatchedInput() {
        assertThatThrownBy(() -> Metrics.regression(new double[0], new double[0])).hasMessage("no rows to score");
        assertThatThrownBy(() -> Metrics.regression(new double[1], new double[2])).hasMessage("lengths differ: 1 and 2");
        assertThatThrownBy(() -> Metrics.classification(new double[] {2}, new double[] {0.5}, 0.5))
                .hasMessageContaining("labels must be 0 or 1");
    }

    @Test
    void higherIsBetterKnowsTheErrorMetrics() {
        assertThat(Evaluation.higherIsBetter("roc_auc")).isTrue();
        assertThat(Evaluation.higherIsBetter("r2")).isTrue();
        assertThat(Evaluation.higherIsBetter("log_loss")).isFalse();
        assertThat(Evaluation.higherIsBetter("rmse")).isFalse();
    }

    private static void assertMatches(Map<String, Double> actual, JsonNode expected) {
        assertThat(actual).hasSize(expected.size());
        expected.properties().forEach(e -> assertThat(actual.get(e.getKey())).as(e.getKey())
                .isCloseTo(e.getValue().doubleValue(), within(1e-12 * Math.max(1, Math.abs(e.getValue().doubleValue())))));
    }
}
