package io.flywheel.llm.eval;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.flywheel.llm.eval.Specs.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Specs that cannot work are refused when the evaluator is made, saying what to fix. */
class EvaluatorsTest {

    @Test
    void makesEveryType() {
        for (String type : Evaluators.TYPES) {
            Map<String, Object> p = switch (type) {
                case "regex" -> params("pattern", "x");
                case "llm_judge" -> params("rubric", "r", "model", "m");
                default -> Map.of();
            };
            Evaluator e = Evaluators.create(new EvaluatorSpec(type, null, p), request -> null);
            assertThat(e.name()).isEqualTo(type);
        }
    }

    @Test
    void anUnknownOrMissingTypeNamesTheTypes() {
        assertThatThrownBy(() -> Evaluators.create(new EvaluatorSpec("bleu", null, null), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown evaluator type 'bleu'; the types are [exact_match, regex, json_schema, numeric_tolerance, string_similarity, llm_judge]");
        assertThatThrownBy(() -> Evaluators.create(new EvaluatorSpec(" ", null, null), null))
                .hasMessageStartingWith("an evaluator needs a type");
    }

    @Test
    void anUnknownParameterNamesTheKnownOnes() {
        assertThatThrownBy(() -> Evaluators.create(new EvaluatorSpec("exact_match", "strict", params("ignore_case", true)), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("evaluator exact_match 'strict': unknown parameter(s) [ignore_case]; exact_match takes [case_sensitive, trim]");
    }

    @Test
    void aParameterOfTheWrongTypeSaysWhichAndWhy() {
        assertThatThrownBy(() -> Evaluators.create(new EvaluatorSpec("exact_match", null, params("trim", "yes")), null))
                .hasMessage("evaluator exact_match: 'trim' must be true or false, not \"yes\" (String)");
    }
}
