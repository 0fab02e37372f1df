package io.flywheel.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelArtifactTest {

    private static final String MINIMAL = """
            {"format": "flywheel-linear/v1", "task": "binary-classification",
             "features": [{"name": "a", "type": "number", "mean": 0, "std": 1},
                          {"name": "c", "type": "string", "categories": ["p", "q"]}],
             "intercept": 0, "coefficients": [1, 2, 3],
             "target": {"name": "y", "positive_label": 1, "negative_label": 0}}
            """;

    @Test
    void aTrainedArtifactRoundTripsExactly() {
        Dataset data = TestData.dataset(TestData.CLASSIFICATION_CSV);
        LinearModel trained = Trainer.train(data, TrainingParams.of(Task.BINARY_CLASSIFICATION, "churned"),
                Instant.parse("2025-01-02T03:04:05Z"), null).model();
        String json = trained.toJson();

        LinearModel loaded = LinearModel.fromJson(json);

        assertThat(loaded.artifact()).isEqualTo(trained.artifact());
        assertThat(loaded.toJson()).isEqualTo(json);
        for (Map<String, Object> row : data.rows()) {
            assertThat(loaded.predict(row)).isEqualTo(trained.predict(row));
        }
        assertThat(json).contains("\"format\": \"flywheel-linear/v1\"", "\"trained_at\": \"2025-01-02T03:04:05Z\"",
                "\"positive_label\": \"yes\"", "\"dataset_uri\": ");
    }

    @Test
    void integerLabelsComeBackAsLongsAndMatchAnyNumberOfTheSameValue() {
        ModelArtifact artifact = ModelArtifact.fromJson(MINIMAL);

        assertThat(artifact.target().positiveLabel()).isEqualTo(1L);
        assertThat(artifact.target().isPositive(1)).isTrue();
        assertThat(artifact.target().isPositive(1.0)).isTrue();
        assertThat(artifact.target().isNegative(0L)).isTrue();
        assertThat(artifact.threshold()).isEqualTo(0.5);
        assertThat(artifact.training()).isNull();
    }

    @Test
    void fieldsAddedWithinV1AreIgnored() {
        String extended = MINIMAL.replace("\"intercept\": 0,", "\"intercept\": 0, \"calibration\": {\"method\": \"none\"},")
                .replace("\"name\": \"a\",", "\"name\": \"a\", \"unit\": \"cm\",");

        assertThat(ModelArtifact.fromJson(extended)).isEqualTo(ModelArtifact.fromJson(MINIMAL));
    }

    @Test
    void structuralErrorsSayWhatIsWrong() {
        assertThatThrownBy(() -> LinearModel.fromJson("not json"))
                .hasMessageStartingWith("artifact is not valid JSON at line 1, column 1: Unrecognized token 'not'");
        assertRejected("[]", "artifact must be a JSON object");
        assertRejected(MINIMAL.replace("flywheel-linear/v1", "flywheel-linear/v9"),
                "unsupported artifact format \"flywheel-linear/v9\" (this reader understands flywheel-linear/v1)");
        assertRejected(MINIMAL.replace("binary-classification", "ranking"),
                "unknown task 'ranking' (expected binary-classification or regression)");
        assertRejected(MINIMAL.replace("\"number\"", "\"float\""),
                "unknown feature type 'float' (expected number, integer, boolean or string)");
        assertRejected(MINIMAL.replace("[1, 2, 3]", "[1, \"2\", 3]"), "coefficients[1] must be a number");
        assertRejected(MINIMAL.replace("\"mean\": 0, ", ""), "feature 'a': mean is required");
    }

    @Test
    void semanticErrorsNameTheField() {
        assertRejected(MINIMAL.replace("[1, 2, 3]", "[1, 2]"), "coefficients has 2 values, the features need 3 "
                + "(one per number, integer or boolean feature, one per category of a string feature)");
        assertRejected(MINIMAL.replace("\"name\": \"c\"", "\"name\": \"a\""), "feature 'a' appears twice");
        assertRejected(MINIMAL.replace("\"std\": 1", "\"std\": -1"), "feature 'a': std must be a finite number >= 0");
        assertRejected(MINIMAL.replace("[\"p\", \"q\"]", "[\"p\", \"p\"]"), "feature 'c': categories must be distinct");
        assertRejected(MINIMAL.replace("\"categories\": [\"p\", \"q\"]", "\"categories\": [\"p\", \"q\"], \"mean\": 1"),
                "feature 'c': a string feature has categories, not mean and std");
        assertRejected(MINIMAL.replace(", \"negative_label\": 0", ""),
                "target.positive_label and target.negative_label are required for binary-classification");
        assertRejected(MINIMAL.replace("\"negative_label\": 0", "\"negative_label\": 1.0"),
                "target.positive_label and target.negative_label must differ");
        assertRejected(MINIMAL.replace("\"intercept\": 0", "\"intercept\": 0, \"threshold\": 1.5"),
                "threshold must be between 0 and 1, got 1.5");
        assertRejected(MINIMAL.replace("\"name\": \"y\"", "\"name\": \"a\""), "target 'a' is also a feature");
        assertRejected(MINIMAL.replace("binary-classification", "regression"),
                "target labels apply to binary-classification only");
    }

    private static void assertRejected(String json, String message) {
        assertThatThrownBy(() -> LinearModel.fromJson(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
