package io.flywheel.monitor.llm.score;

import io.flywheel.monitor.llm.score.ScoreConfigRules.Draft;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScoreConfigRulesTest {

    private static ScoreConfig.Category c(double v, String label) {
        return new ScoreConfig.Category(v, label);
    }

    @Test
    void validConfigsHaveNoProblems() {
        assertThat(ScoreConfigRules.problems(new Draft("accuracy", "NUMERIC", null, 0.0, 1.0, null))).isEmpty();
        assertThat(ScoreConfigRules.problems(new Draft("x".repeat(35), "BOOLEAN", null, null, null, "d"))).isEmpty();
        assertThat(ScoreConfigRules.problems(new Draft("grade", "CATEGORICAL", List.of(c(0, "bad"), c(1, "good")), null, null, null)))
                .isEmpty();
    }

    @Test
    void nameAndTypeAreChecked() {
        assertThat(ScoreConfigRules.problems(new Draft("x".repeat(36), "NUMERIC", null, null, null, null)))
                .containsExactly("name must be at most 35 characters, was 36");
        assertThat(ScoreConfigRules.problems(new Draft(" ", "CORRECTION", null, null, null, null)))
                .containsExactly("name is required", "dataType must be one of [BOOLEAN, CATEGORICAL, NUMERIC, TEXT], was CORRECTION");
    }

    @Test
    void aRangeIsNumericOnlyAndOrdered() {
        assertThat(ScoreConfigRules.problems(new Draft("a", "NUMERIC", null, 1.0, 1.0, null)))
                .containsExactly("minValue (1.0) must be below maxValue (1.0)");
        assertThat(ScoreConfigRules.problems(new Draft("a", "NUMERIC", null, Double.NaN, null, null)))
                .containsExactly("minValue and maxValue must be finite numbers");
        assertThat(ScoreConfigRules.problems(new Draft("a", "TEXT", null, 0.0, null, null)))
                .containsExactly("minValue and maxValue apply only to NUMERIC configs");
    }

    @Test
    void categoriesAreNonEmptyAndUnique() {
        assertThat(ScoreConfigRules.problems(new Draft("a", "CATEGORICAL", List.of(), null, null, null)))
                .containsExactly("a CATEGORICAL config needs at least one category");
        assertThat(ScoreConfigRules.problems(new Draft("a", "CATEGORICAL", List.of(c(0, "x"), c(0, "y"), c(1, "x")), null, null, null)))
                .containsExactly("category value 0.0 appears twice", "category label 'x' appears twice");
        assertThat(ScoreConfigRules.problems(new Draft("a", "NUMERIC", List.of(c(0, "x")), null, null, null)))
                .containsExactly("categories apply only to CATEGORICAL configs");
    }

    @Test
    void booleanConfigsGetTheFixedPair() {
        assertThat(ScoreConfigRules.categoriesOf(new Draft("a", "BOOLEAN", null, null, null, null)))
                .containsExactly(c(0, "False"), c(1, "True"));
    }
}
