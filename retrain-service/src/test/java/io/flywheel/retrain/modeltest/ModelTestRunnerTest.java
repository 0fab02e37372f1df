package io.flywheel.retrain.modeltest;

import com.fasterxml.jackson.databind.JsonNode;
import io.flywheel.linear.Dataset;
import io.flywheel.linear.FeatureType;
import io.flywheel.linear.LinearModel;
import io.flywheel.linear.ModelArtifact;
import io.flywheel.linear.Task;
import io.flywheel.retrain.evaluation.LinearPredictor;
import io.flywheel.retrain.evaluation.OnnxPredictor;
import io.flywheel.retrain.evaluation.Predictor;
import io.flywheel.retrain.support.BreastCancer;
import io.flywheel.retrain.support.Rows;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Every kind of model test on a small linear model whose numbers are known: churn probability =
 * sigmoid(2·x1 − 1.5·x2 + (pro 0.7 | basic −0.3)), with {@code noise} a feature of the model whose
 * coefficient is 0 — the model that made the synthetic churn rows' labels.
 */
class ModelTestRunnerTest {

    private static final Set<String> CLASSIFICATION = Set.of("accuracy", "precision", "recall", "f1", "roc_auc", "log_loss");
    private static final LongSupplier NO_CLOCK = () -> 0L;

    private static LinearPredictor churnModel() {
        ModelArtifact artifact = new ModelArtifact(ModelArtifact.FORMAT, Task.BINARY_CLASSIFICATION,
                List.of(ModelArtifact.Feature.scaled("x1", FeatureType.NUMBER, 0, 1),
                        ModelArtifact.Feature.scaled("x2", FeatureType.NUMBER, 0, 1),
                        ModelArtifact.Feature.categorical("plan", List.of("basic", "pro")),
                        ModelArtifact.Feature.scaled("noise", FeatureType.NUMBER, 0, 1)),
                0.0, List.of(2.0, -1.5, -0.3, 0.7, 0.0), new ModelArtifact.Target("churned", "yes", "no"), 0.5, null, null, null);
        return new LinearPredictor(LinearModel.fromJson(artifact.toJson()));
    }

    /** The synthetic churn rows, with a customer id the model does not read and a region that is rare in one place. */
    private static Dataset holdout() {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Map<String, Object>> churn = Rows.churn(300, 41);
        for (int i = 0; i < churn.size(); i++) {
            Map<String, Object> row = new LinkedHashMap<>(churn.get(i));
            row.put("customer_id", "c-" + i);
            row.put("region", i % 30 == 0 ? "north" : "south");
            rows.add(row);
        }
        return Dataset.of(rows);
    }

    private static ModelTests tests(List<ModelTests.Slice> slices, List<ModelTests.Invariance> invariance,
                                    List<ModelTests.Directional> directional, List<ModelTests.Example> examples, ModelTests.Latency latency) {
        List<String> problems = new ArrayList<>();
        ModelTests normalised = new ModelTests(slices, invariance, directional, examples, latency)
                .normalise(Task.BINARY_CLASSIFICATION, CLASSIFICATION, "roc_auc", problems);
        assertThat(problems).isEmpty();
        return normalised;
    }

    private static ModelTestReport run(ModelTests tests) {
        return ModelTestRunner.run(tests, churnModel(), holdout(), "churned", NO_CLOCK);
    }

    private static ModelTestReport.Result result(ModelTestReport report, String name) {
        return report.results().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no result " + name + " in " + report.results()));
    }

    @Test
    void slicesAreScoredPerValueAndASliceWithTooFewRowsIsSkippedSayingSo() {
        ModelTestReport report = run(tests(List.of(new ModelTests.Slice("plan", null, 0.6, null, null),
                new ModelTests.Slice("region", "accuracy", 0.7, null, 20)), null, null, null, null));

        ModelTestReport.Result basic = result(report, "slice plan=basic roc_auc");
        ModelTestReport.Result pro = result(report, "slice plan=pro roc_auc");
        ModelTestReport.Result north = result(report, "slice region=north accuracy");
        ModelTestReport.Result south = result(report, "slice region=south accuracy");
        // the model that generated the labels ranks them well on either plan
        assertThat(basic.passed()).isTrue();
        assertThat(basic.measured()).isGreaterThan(0.75);
        assertThat(pro.measured()).isGreaterThan(0.75);
        assertThat(basic.expectation()).isEqualTo(">= 0.6");
        assertThat(basic.explanation()).startsWith("roc_auc ").contains("holdout rows where plan is basic");
        // 10 of 300 rows are in the north: fewer than min_rows
        assertThat(north.skipped()).isTrue();
        assertThat(north.passed()).isTrue();
        assertThat(north.measured()).isNull();
        assertThat(north.explanation()).isEqualTo("skipped: only 10 holdout rows where region is north, fewer than min_rows 20");
        assertThat(south.skipped()).isFalse();
        assertThat(report.passed()).isTrue();
        assertThat(report.skipped()).isEqualTo(1);
        assertThat(report.summary()).isEqualTo("all 4 model tests passed (1 skipped)");
    }

    @Test
    void aSliceBelowItsMinimumFailsWithTheMetricItMeasured() {
        ModelTestReport report = run(tests(List.of(new ModelTests.Slice("plan", "accuracy", 0.99, null, null)), null, null, null, null));

        ModelTestReport.Result basic = result(report, "slice plan=basic accuracy");
        assertThat(basic.passed()).isFalse();
        assertThat(basic.measured()).isLessThan(0.99);
        assertThat(basic.explanation()).endsWith(", expected >= 0.99");
        assertThat(report.passed()).isFalse();
        assertThat(report.failed()).isEqualTo(2);
        assertThat(report.summary()).isEqualTo("2 of 2 model tests failed: slice plan=basic accuracy; slice plan=pro accuracy");
    }

    @Test
    void slicingByAContinuousFeatureOrAMissingColumnFailsSayingWhy() {
        ModelTestReport report = run(tests(List.of(new ModelTests.Slice("x1", null, 0.5, null, null),
                new ModelTests.Slice("segment", null, 0.5, null, null)), null, null, null, null));

        assertThat(result(report, "slice x1 roc_auc").explanation())
                .isEqualTo("'x1' has 300 distinct values in the holdout; slices are for a categorical feature (at most 50 values)");
        assertThat(result(report, "slice segment roc_auc").explanation()).startsWith("the holdout has no column 'segment' (its columns: ");
        assertThat(report.failed()).isEqualTo(2);
    }

    @Test
    void aFeatureTheModelIgnoresIsInvariantAndOneItReadsIsNot() {
        ModelTestReport report = run(tests(null, List.of(
                new ModelTests.Invariance("customer_id", List.of("c-x", "someone else"), null, null),
                new ModelTests.Invariance("noise", null, 5.0, null),
                new ModelTests.Invariance("x1", null, 0.5, 0.01)), null, null, null));

        ModelTestReport.Result id = result(report, "invariance customer_id set to 2 values");
        assertThat(id.passed()).isTrue();
        assertThat(id.measured()).isZero();
        assertThat(id.explanation()).isEqualTo("setting customer_id to each of [\"c-x\", \"someone else\"] on 300 holdout rows changed no score "
                + "by more than 0.000001 (largest change 0)");
        ModelTestReport.Result noise = result(report, "invariance noise +5");
        assertThat(noise.passed()).isTrue();
        assertThat(noise.measured()).isZero();
        ModelTestReport.Result x1 = result(report, "invariance x1 +0.5");
        assertThat(x1.passed()).isFalse();
        // x1 + 0.5 moves eta by 1: the most a probability can move is from sigmoid(-0.5) to sigmoid(0.5), 0.2449
        assertThat(x1.measured()).isGreaterThan(0.2).isLessThanOrEqualTo(2 / (1 + Math.exp(-0.5)) - 1);
        assertThat(x1.explanation()).matches("row \\d+: x1 [-0-9.e]+ → [-0-9.e]+ changed the score from [-0-9.e]+ to [-0-9.e]+ "
                + "\\(by [-0-9.e]+, more than the tolerance 0.01\\)");
        assertThat(report.summary()).isEqualTo("1 of 3 model tests failed: invariance x1 +0.5");
    }

    @Test
    void directionalExpectationsFollowTheSignsOfTheCoefficients() {
        ModelTestReport report = run(tests(null, null, List.of(
                new ModelTests.Directional("x1", 1.0, "increase", null),
                new ModelTests.Directional("x2", 2.0, "decrease", null),
                new ModelTests.Directional("x2", 1.0, "increase", null),
                new ModelTests.Directional("noise", 1.0, "increase", 0.5)), null, null));

        assertThat(result(report, "directional x1 +1 increase").measured()).isEqualTo(1.0);
        assertThat(result(report, "directional x1 +1 increase").explanation())
                .isEqualTo("moving x1 by +1 raised the score on 300 of 300 holdout rows (100%)");
        assertThat(result(report, "directional x2 +2 decrease").passed()).isTrue();
        ModelTestReport.Result wrongWay = result(report, "directional x2 +1 increase");
        assertThat(wrongWay.passed()).isFalse();
        assertThat(wrongWay.measured()).isZero();
        assertThat(wrongWay.expectation()).isEqualTo("the score rises on at least 100% of rows");
        assertThat(wrongWay.explanation()).startsWith("moving x2 by +1 raised the score on 0 of 300 holdout rows (0%), expected at least 100%; e.g. row 1: ");
        // a coefficient of 0 moves nothing: a score that stays put is not a rise
        assertThat(result(report, "directional noise +1 increase").passed()).isFalse();
        assertThat(report.failed()).isEqualTo(2);
    }

    @Test
    void examplesCheckTheClassAProbabilityRangeOrFailWhenTheModelCantScoreThem() {
        Map<String, Object> loyal = Map.of("x1", -2.0, "x2", 1.0, "plan", "basic", "noise", 0.0);
        // eta = 2·2 + 1.5 + 0.7 = 6.2: p = 0.9979747
        Map<String, Object> leaving = Map.of("x1", 2.0, "x2", -1.0, "plan", "pro", "noise", 0.0);
        ModelTestReport report = run(tests(null, null, null, List.of(
                new ModelTests.Example("leaving", leaving, 1, null),
                new ModelTests.Example("loyal", loyal, true, null),
                new ModelTests.Example(null, leaving, Map.of("min", 0.99), null),
                new ModelTests.Example(null, Map.of("x1", 1.0), 1, null)), null));

        ModelTestReport.Result leavingResult = result(report, "example leaving");
        assertThat(leavingResult.passed()).isTrue();
        assertThat(leavingResult.measured()).isCloseTo(1 / (1 + Math.exp(-6.2)), within(1e-12));
        assertThat(leavingResult.expectation()).isEqualTo("class 1 (positive)");
        assertThat(leavingResult.explanation()).isEqualTo("probability of the positive class 0.997975 >= threshold 0.5: class 1");
        ModelTestReport.Result loyalResult = result(report, "example loyal");
        assertThat(loyalResult.passed()).isFalse();
        assertThat(loyalResult.explanation()).endsWith("< threshold 0.5: class 0, expected class 1 (positive)");
        assertThat(result(report, "example 3").passed()).isTrue();
        assertThat(result(report, "example 3").expectation()).isEqualTo(">= 0.99");
        ModelTestReport.Result incomplete = result(report, "example 4");
        assertThat(incomplete.passed()).isFalse();
        assertThat(incomplete.measured()).isNull();
        assertThat(incomplete.explanation()).isEqualTo("the candidate could not score it: row 1: feature 'x2' is missing");
    }

    @Test
    void aRegressionExampleIsANumberWithinItsTolerance() {
        ModelArtifact artifact = new ModelArtifact(ModelArtifact.FORMAT, Task.REGRESSION,
                List.of(ModelArtifact.Feature.scaled("rooms", FeatureType.INTEGER, 3, 1)), 100.0, List.of(20.0),
                ModelArtifact.Target.numeric("price"), null, null, null, null);
        LinearPredictor model = new LinearPredictor(LinearModel.fromJson(artifact.toJson()));
        List<String> problems = new ArrayList<>();
        ModelTests tests = new ModelTests(null, null, null, List.of(
                new ModelTests.Example("five rooms", Map.of("rooms", 5), 140, null),
                new ModelTests.Example("one room", Map.of("rooms", 1), 70, 5.0)), null)
                .normalise(Task.REGRESSION, Set.of("mae", "rmse", "mape", "r2"), "rmse", problems);
        assertThat(problems).isEmpty();

        ModelTestReport report = ModelTestRunner.run(tests, model, Dataset.of(List.of(Map.of("rooms", 2L, "price", 80.0))), "price", NO_CLOCK);

        assertThat(result(report, "example five rooms").passed()).isTrue();
        assertThat(result(report, "example five rooms").measured()).isEqualTo(140.0);
        ModelTestReport.Result oneRoom = result(report, "example one room");
        assertThat(oneRoom.passed()).isFalse();
        assertThat(oneRoom.expectation()).isEqualTo("70 ± 5");
        assertThat(oneRoom.explanation()).isEqualTo("predicted 60, expected 70 ± 5");
    }

    @Test
    void latencyIsTheNearestRankPercentileOfTheTimedCallsOnly() {
        // a clock that each call moves on: warm-up calls take 1 s (they must not count), every 50th timed call 10 ms, the rest 1 ms
        long[] now = {0};
        int[] calls = {0};
        Predictor timed = new Delegating(churnModel()) {
            @Override
            public double[] predict(List<? extends Map<String, ?>> rows) {
                calls[0]++;
                int timedCall = calls[0] - 10;
                now[0] += timedCall <= 0 ? 1_000_000_000L : timedCall % 50 == 0 ? 10_000_000L : 1_000_000L;
                assertThat(rows).hasSize(4);
                return super.predict(rows);
            }
        };
        ModelTests tests = tests(null, null, null, null, new ModelTests.Latency(2.0, 5.0, 4, 200, 10));

        ModelTestReport report = ModelTestRunner.run(tests, timed, holdout(), "churned", () -> now[0]);

        assertThat(calls[0]).isEqualTo(210);
        ModelTestReport.Result p50 = result(report, "latency p50");
        ModelTestReport.Result p99 = result(report, "latency p99");
        assertThat(p50.passed()).isTrue();
        assertThat(p50.measured()).isEqualTo(1.0);
        assertThat(p99.passed()).isFalse();
        assertThat(p99.measured()).isEqualTo(10.0);
        assertThat(p99.expectation()).isEqualTo("<= 5 ms");
        assertThat(p99.explanation()).isEqualTo("p50 1 ms, p99 10 ms over 200 calls of 4 rows after 10 warm-up calls (the serving runtime's "
                + "scorer, timed in retrain's process, not through deploy's HTTP): over the budget of 5 ms");
        assertThat(report.summary()).isEqualTo("1 of 2 model tests failed: latency p99");
    }

    @Test
    void latencyOfTheRealLinearScorerIsMeasuredWithTheSystemClock() {
        ModelTests tests = tests(null, null, null, null, new ModelTests.Latency(null, 1000.0, null, null, null));

        ModelTestReport report = ModelTestRunner.run(tests, churnModel(), holdout(), "churned", System::nanoTime);

        ModelTestReport.Result p99 = result(report, "latency p99");
        assertThat(p99.passed()).isTrue();
        assertThat(p99.measured()).isGreaterThan(0.0).isLessThan(1000.0);
        assertThat(p99.explanation()).contains("over 200 calls of 1 row after 50 warm-up calls");
    }

    @Test
    void theSameTestsRunOnAnOnnxCandidate() {
        JsonNode expected = BreastCancer.expected();
        List<Map<String, Object>> rows = BreastCancer.rows();
        Map<String, Object> first = new LinkedHashMap<>(rows.getFirst());
        first.remove(BreastCancer.TARGET);
        int label = expected.get("outputs").get("output_label").get(0).asInt();
        double benign = expected.get("outputs").get("output_probability").get(0).get(1).asDouble();
        ModelTests tests = tests(null,
                List.of(new ModelTests.Invariance("mean radius", null, 0.5, 1e-9)),
                null,
                List.of(new ModelTests.Example("first row", first, label, null),
                        new ModelTests.Example("first row's probability", first, Map.of("min", benign - 1e-4, "max", benign + 1e-4), null)),
                new ModelTests.Latency(null, 1000.0, 8, 20, 5));

        try (OnnxPredictor onnx = OnnxPredictor.load(BreastCancer.onnx(true), BreastCancer.features())) {
            ModelTestReport report = ModelTestRunner.run(tests, onnx, Dataset.of(rows), BreastCancer.TARGET, System::nanoTime);

            assertThat(result(report, "example first row").passed()).isTrue();
            assertThat(result(report, "example first row's probability").passed()).isTrue();
            assertThat(result(report, "latency p99").passed()).isTrue();
            // the scaler and the logistic regression read every column: moving one changes the probabilities
            assertThat(result(report, "invariance mean radius +0.5").passed()).isFalse();
            assertThat(report.summary()).isEqualTo("1 of 4 model tests failed: invariance mean radius +0.5");
        }
    }

    /** A predictor that hands everything to another. */
    private static class Delegating implements Predictor {
        private final Predictor delegate;

        Delegating(Predictor delegate) {
            this.delegate = delegate;
        }

        @Override
        public String format() {
            return delegate.format();
        }

        @Override
        public Task task() {
            return delegate.task();
        }

        @Override
        public Scores score(Dataset rows, String target) {
            return delegate.score(rows, target);
        }

        @Override
        public double[] predict(List<? extends Map<String, ?>> rows) {
            return delegate.predict(rows);
        }

        @Override
        public double threshold() {
            return delegate.threshold();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
