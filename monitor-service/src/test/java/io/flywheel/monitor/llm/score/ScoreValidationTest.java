package io.flywheel.monitor.llm.score;

import io.flywheel.events.ScoreUpserted;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ScoreValidationTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static ScoreConfig config(String type, Double min, Double max, List<ScoreConfig.Category> categories, boolean archived) {
        return new ScoreConfig("p", "c1", "quality", type, archived, min, max, categories, null, T, T);
    }

    private static ScoreUpserted score(String name, String type, Double value, String stringValue, String configId) {
        return new ScoreUpserted("p", "s1", name, "t1", null, null, null, value, stringValue, type, "API", null, null, configId, null, T, T);
    }

    private static final List<ScoreConfig.Category> GRADES = List.of(new ScoreConfig.Category(0, "bad"),
            new ScoreConfig.Category(1, "ok"), new ScoreConfig.Category(2, "good"));

    @Test
    void aScoreWithoutConfigIsStoredAsItCame() {
        ScoreUpserted s = score("anything", "NUMERIC", 99.0, null, null);
        assertThat(ScoreValidation.check(s, Optional.empty()).accepted()).isSameAs(s);
    }

    @Test
    void theConfigMustExistNotBeArchivedAndCarryTheSameName() {
        assertThat(ScoreValidation.check(score("quality", "NUMERIC", 1.0, null, "c1"), Optional.empty()).refusal())
                .contains("does not exist in project 'p'");
        assertThat(ScoreValidation.check(score("quality", "NUMERIC", 1.0, null, "c1"),
                Optional.of(config("NUMERIC", null, null, List.of(), true))).refusal()).contains("archived");
        assertThat(ScoreValidation.check(score("helpfulness", "NUMERIC", 1.0, null, "c1"),
                Optional.of(config("NUMERIC", null, null, List.of(), false))).refusal()).contains("does not match");
    }

    @Test
    void aNumericScoreMustLieInTheRangeBoundsIncluded() {
        Optional<ScoreConfig> c = Optional.of(config("NUMERIC", 0.0, 1.0, List.of(), false));
        assertThat(ScoreValidation.check(score("quality", "NUMERIC", 0.0, null, "c1"), c).isAccepted()).isTrue();
        assertThat(ScoreValidation.check(score("quality", "NUMERIC", 1.0, null, "c1"), c).isAccepted()).isTrue();
        assertThat(ScoreValidation.check(score("quality", "NUMERIC", 1.5, null, "c1"), c).refusal()).isEqualTo(
                "value 1.5 is outside [0, 1] of config 'c1'");
        assertThat(ScoreValidation.check(score("quality", "NUMERIC", -0.1, null, "c1"),
                Optional.of(config("NUMERIC", null, 1.0, List.of(), false))).isAccepted()).isTrue();
    }

    @Test
    void theTypeMustFit() {
        Optional<ScoreConfig> numeric = Optional.of(config("NUMERIC", null, null, List.of(), false));
        assertThat(ScoreValidation.check(score("quality", "CATEGORICAL", null, "good", "c1"), numeric).refusal())
                .isEqualTo("a CATEGORICAL score does not fit config 'c1' of type NUMERIC");
        Optional<ScoreConfig> text = Optional.of(config("TEXT", null, null, List.of(), false));
        assertThat(ScoreValidation.check(score("quality", "BOOLEAN", 1.0, "True", "c1"), text).isAccepted()).isFalse();
    }

    @Test
    void aBooleanIsZeroOrOneAndGetsItsLabel() {
        Optional<ScoreConfig> c = Optional.of(config("BOOLEAN", null, null, ScoreConfigRules.BOOLEAN_CATEGORIES, false));
        ScoreUpserted fromNumber = ScoreValidation.check(score("quality", "NUMERIC", 1.0, null, "c1"), c).accepted();
        assertThat(fromNumber.dataType()).isEqualTo("BOOLEAN");
        assertThat(fromNumber.stringValue()).isEqualTo("True");
        assertThat(ScoreValidation.check(score("quality", "BOOLEAN", 0.0, "False", "c1"), c).accepted().value()).isEqualTo(0.0);
        assertThat(ScoreValidation.check(score("quality", "BOOLEAN", 0.5, null, "c1"), c).refusal())
                .isEqualTo("0.5 is not one of the categories of config 'c1' [False=0, True=1]");
    }

    @Test
    void aCategoryIsNamedByItsLabelOrItsValueAndBothAreKept() {
        Optional<ScoreConfig> c = Optional.of(config("CATEGORICAL", null, null, GRADES, false));
        ScoreUpserted byLabel = ScoreValidation.check(score("quality", "CATEGORICAL", null, "good", "c1"), c).accepted();
        assertThat(byLabel.value()).isEqualTo(2.0);
        assertThat(byLabel.stringValue()).isEqualTo("good");
        ScoreUpserted byValue = ScoreValidation.check(score("quality", "NUMERIC", 1.0, null, "c1"), c).accepted();
        assertThat(byValue.stringValue()).isEqualTo("ok");
        assertThat(byValue.dataType()).isEqualTo("CATEGORICAL");
        assertThat(ScoreValidation.check(score("quality", "CATEGORICAL", null, "great", "c1"), c).refusal())
                .isEqualTo("'great' is not one of the categories of config 'c1' [bad=0, ok=1, good=2]");
        assertThat(ScoreValidation.check(score("quality", "NUMERIC", 3.0, null, "c1"), c).isAccepted()).isFalse();
    }
}
