package io.flywheel.llm.eval;

import org.junit.jupiter.api.Test;

import static io.flywheel.llm.eval.Specs.evaluator;
import static io.flywheel.llm.eval.Specs.output;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExactMatchTest {

    @Test
    void trimsButMindsCaseByDefault() {
        Evaluator e = evaluator("exact_match");
        assertThat(e.evaluate(output("  Paris\n", "Paris"))).isEqualTo(EvalScore.bool("exact_match", true, "equals the expected output"));
        EvalScore wrongCase = e.evaluate(output("paris", "Paris"));
        assertThat(wrongCase.type()).isEqualTo(ScoreType.BOOLEAN);
        assertThat(wrongCase.value()).isZero();
        assertThat(wrongCase.comment()).isEqualTo("expected \"Paris\", got \"paris\"");
    }

    @Test
    void caseInsensitiveAndUntrimmedWhenAsked() {
        assertThat(evaluator("exact_match", "case_sensitive", false).evaluate(output("PARIS", "paris")).value()).isEqualTo(1);
        assertThat(evaluator("exact_match", "trim", false).evaluate(output("Paris ", "Paris")).value()).isZero();
    }

    @Test
    void aChattyAnswerFails() {
        assertThat(evaluator("exact_match").evaluate(output("The capital of France is Paris.", "Paris")).value()).isZero();
    }

    @Test
    void aMissingOutputIsEmptyAndFails() {
        assertThat(evaluator("exact_match").evaluate(output(null, "Paris")).value()).isZero();
        assertThat(evaluator("exact_match").evaluate(output(null, "")).value()).isEqualTo(1);
    }

    @Test
    void noExpectedOutputSaysSo() {
        assertThatThrownBy(() -> evaluator("exact_match").evaluate(output("Paris", null)))
                .isInstanceOf(EvaluationException.class)
                .hasMessage("exact_match compares the output with the item's expected output, and this item has none");
    }

    @Test
    void theSpecsNameNamesTheScore() {
        Evaluator e = Evaluators.create(new EvaluatorSpec("exact_match", "answer_exact", null), null);
        assertThat(e.name()).isEqualTo("answer_exact");
        assertThat(e.evaluate(output("Paris", "Paris")).name()).isEqualTo("answer_exact");
    }
}
