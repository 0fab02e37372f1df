package io.flywheel.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerTest {

    private static final Instant AT = Instant.parse("2025-06-01T12:00:00Z");

    @Test
    void theSameDataSeedAndParametersGiveAByteIdenticalArtifact() {
        TrainingParams params = TrainingParams.of(Task.BINARY_CLASSIFICATION, "churned").withHoldout(0.3, 99);

        String first = Trainer.train(TestData.dataset(TestData.CLASSIFICATION_CSV), params, AT, null).model().toJson();
        String second = Trainer.train(TestData.dataset(TestData.CLASSIFICATION_CSV), params, AT, null).model().toJson();
        String otherSeed = Trainer.train(TestData.dataset(TestData.CLASSIFICATION_CSV), params.withHoldout(0.3, 100),
                AT, null).model().toJson();

        assertThat(second).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }

    @Test
    void newtonConvergesQuadraticallyWhateverTheSplit() {
        Dataset data = TestData.dataset(TestData.CLASSIFICATION_CSV);
        for (long seed = 0; seed < 25; seed++) {
            TrainingParams params = TrainingParams.of(Task.BINARY_CLASSIFICATION, "churned").withHoldout(0.2, seed);

            ModelArtifact.Training training = Trainer.train(data, params, AT, null).model().artifact().training();

            assertThat(training.converged()).as("seed %d", seed).isTrue();
            assertThat(training.iterations()).as("seed %d", seed).isLessThanOrEqualTo(8);
        }
    }

    @Test
    void theResultCarriesTheSplitAndTheArtifactRecordsIt() {
        List<String> progress = new ArrayList<>();
        Dataset data = TestData.dataset(TestData.REGRESSION_JSONL);

        Trainer.Result result = Trainer.train(data, TrainingParams.of(Task.REGRESSION, "y"), AT, progress::add);

        Dataset.Split expected = data.split(TrainingParams.DEFAULT_HOLDOUT_FRACTION, TrainingParams.DEFAULT_SEED);
        assertThat(result.holdout().rows()).isEqualTo(expected.holdout().rows()).hasSize(50);
        assertThat(result.train().rows()).isEqualTo(expected.train().rows());
        ModelArtifact.Training training = result.model().artifact().training();
        assertThat(training.rows()).isEqualTo(200);
        assertThat(training.holdoutRows()).isEqualTo(50);
        assertThat(training.seed()).isEqualTo(42);
        assertThat(training.datasetUri()).endsWith("regression.jsonl");
        assertThat(result.model().artifact().trainedAt()).isEqualTo(AT);
        assertThat(result.model().artifact().threshold()).isNull();
        assertThat(progress).anyMatch(line -> line.startsWith("split 250 rows: 200 to train, 50 held out"));
    }

    @Test
    void aConstantColumnGetsStdZeroAndCoefficientZero() {
        LinearModel model = Trainer.train(TestData.dataset(TestData.REGRESSION_JSONL),
                TrainingParams.of(Task.REGRESSION, "y").withHoldout(0, 1), AT, null).model();

        ModelArtifact.Feature constant = model.features().get(model.featureIndex("const"));
        assertThat(constant.mean()).isEqualTo(2.5);
        assertThat(constant.std()).isZero();
        assertThat(model.artifact().coefficients().getLast()).isZero();
        Map<String, Object> row = new java.util.HashMap<>(TestData.dataset(TestData.REGRESSION_JSONL).rows().getFirst());
        double before = model.score(row);
        row.put("const", 1000.0);
        assertThat(model.score(row)).isEqualTo(before);
    }

    @Test
    void thePositiveLabelDefaultsToTheGreaterValueAndCanBeChosen() {
        Dataset data = TestData.dataset(TestData.CLASSIFICATION_CSV);
        TrainingParams params = TrainingParams.of(Task.BINARY_CLASSIFICATION, "churned").withHoldout(0, 1);

        ModelArtifact yes = Trainer.train(data, params, AT, null).model().artifact();
        ModelArtifact no = Trainer.train(data, params.withPositiveLabel("no"), AT, null).model().artifact();

        assertThat(yes.target()).isEqualTo(new ModelArtifact.Target("churned", "yes", "no"));
        assertThat(no.target()).isEqualTo(new ModelArtifact.Target("churned", "no", "yes"));
        // the L2 objective is symmetric in the labels, so the solution flips sign
        assertThat(no.intercept()).isCloseTo(-yes.intercept(), within(1e-9));
        for (int i = 0; i < yes.coefficients().size(); i++) {
            assertThat(no.coefficients().get(i)).isCloseTo(-yes.coefficients().get(i), within(1e-9));
        }
    }

    @Test
    void booleanAndIntegerTargetsKeepTheirTypes() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rows.add(Map.of("x", (double) i, "b", i % 3 == 0, "k", (long) (i % 2)));
        }
        Dataset data = Dataset.of(rows);
        TrainingParams params = TrainingParams.of(Task.BINARY_CLASSIFICATION, "b").withFeatures(List.of("x"));

        assertThat(Trainer.train(data, params, AT, null).model().artifact().target().positiveLabel()).isEqualTo(true);
        ModelArtifact.Target k = Trainer.train(data, TrainingParams.of(Task.BINARY_CLASSIFICATION, "k")
                .withFeatures(List.of("x")), AT, null).model().artifact().target();
        assertThat(k.positiveLabel()).isEqualTo(1L);
        assertThat(k.negativeLabel()).isEqualTo(0L);
    }

    @Test
    void badTargetsAreExplained() {
        Dataset data = Dataset.of(List.of(row(1.0, "a"), row(2.0, "b"), row(3.0, "c")));

        assertThatThrownBy(() -> Trainer.train(data, TrainingParams.of(Task.REGRESSION, "s").withFeatures(List.of("x")), AT, null))
                .hasMessage("target 's' must be numeric for regression; it holds string values");
        assertThatThrownBy(() -> Trainer.train(data, TrainingParams.of(Task.BINARY_CLASSIFICATION, "s")
                .withFeatures(List.of("x")), AT, null))
                .hasMessage("target 's' has more than two values (\"a\", \"b\", \"c\", …); binary-classification needs exactly two");
        assertThatThrownBy(() -> Trainer.train(data, TrainingParams.of(Task.BINARY_CLASSIFICATION, "one")
                .withFeatures(List.of("x")), AT, null))
                .hasMessage("target 'one' has a single value (\"z\"); binary-classification needs two");
        assertThatThrownBy(() -> Trainer.train(data, TrainingParams.of(Task.REGRESSION, "nope"), AT, null))
                .hasMessage("target column 'nope' is not in the dataset (columns: x, s, one)");
        assertThatThrownBy(() -> Trainer.train(data, TrainingParams.of(Task.REGRESSION, "x")
                .withFeatures(List.of("missing")), AT, null))
                .hasMessage("feature column 'missing' is not in the dataset (columns: x, s, one)");
        assertThatThrownBy(() -> Trainer.train(TestData.dataset(TestData.CLASSIFICATION_CSV),
                TrainingParams.of(Task.BINARY_CLASSIFICATION, "churned").withPositiveLabel("maybe"), AT, null))
                .hasMessage("positive_label \"maybe\" is not a value of target 'churned' (its values: \"no\", \"yes\")");
    }

    private static Map<String, Object> row(double x, String s) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("x", x);
        row.put("s", s);
        row.put("one", "z");
        return row;
    }

    @Test
    void aSingularSystemIsAnExplainedError() {
        assertThatThrownBy(() -> Trainer.train(TestData.dataset(TestData.REGRESSION_JSONL),
                TrainingParams.of(Task.REGRESSION, "y").withL2(0), AT, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot fit: the system is singular: the features are collinear");
    }

    @Test
    void separableClassesWithoutPenaltyDoNotPretendToConverge() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(Map.of("x", (double) i, "y", i >= 5));
        }
        TrainingParams params = TrainingParams.of(Task.BINARY_CLASSIFICATION, "y").withL2(0).withHoldout(0, 1);

        assertThatThrownBy(() -> Trainer.train(Dataset.of(rows), params, AT, null))
                .hasMessage("cannot fit: the system is singular: the classes are separable or the features collinear; "
                        + "set l2 > 0");
        ModelArtifact.Training penalised = Trainer.train(Dataset.of(rows), params.withL2(0.1), AT, null)
                .model().artifact().training();
        assertThat(penalised.converged()).isTrue();
    }

    @Test
    void parametersParseWithDefaultsAndRefuseMistakes() {
        TrainingParams params = TrainingParams.fromJson("""
                {"task": "binary-classification", "target": "churned", "features": ["age", "plan"],
                 "l2": 0.5, "seed": 7, "positive_label": "yes"}
                """);

        assertThat(params).isEqualTo(TrainingParams.of(Task.BINARY_CLASSIFICATION, "churned")
                .withFeatures(List.of("age", "plan")).withL2(0.5).withHoldout(0.2, 7).withPositiveLabel("yes"));
        assertThat(TrainingParams.fromJson(params.toJson())).isEqualTo(params);

        assertThatThrownBy(() -> TrainingParams.fromJson("{\"task\": \"regression\", \"target\": \"y\", \"l2_penalty\": 1}"))
                .hasMessage("unknown parameter 'l2_penalty' (known: features, holdout_fraction, l2, max_iterations, "
                        + "positive_label, seed, target, task, threshold, tolerance)");
        assertThatThrownBy(() -> TrainingParams.fromJson("{\"task\": \"regression\"}"))
                .hasMessage("target is required (the column to predict)");
        assertThatThrownBy(() -> TrainingParams.fromJson("{\"task\": \"regression\", \"target\": \"y\", \"l2\": \"1\"}"))
                .hasMessage("l2 must be a number");
        assertThatThrownBy(() -> TrainingParams.fromJson("{\"task\": \"regression\", \"target\": \"y\", \"l2\": -1}"))
                .hasMessage("l2 must be a number >= 0, got -1.0");
        assertThatThrownBy(() -> TrainingParams.fromJson("{\"task\": \"regression\", \"target\": \"y\", \"seed\": 1.5}"))
                .hasMessage("seed must be a whole number");
        assertThatThrownBy(() -> TrainingParams.fromJson("{\"task\": \"regression\", \"target\": \"y\", \"features\": [\"y\"]}"))
                .hasMessage("'y' is the target; it cannot be a feature too");
        assertThatThrownBy(() -> TrainingParams.fromJson("{\"task\": \"regression\", \"target\": \"y\", \"positive_label\": 1}"))
                .hasMessage("positive_label applies to binary-classification only");
        assertThatThrownBy(() -> TrainingParams.fromJson("{\"task\": \"regression\", \"target\": \"y\", \"holdout_fraction\": 1}"))
                .hasMessage("holdout_fraction must be >= 0 and < 1, got 1.0");
    }
}
