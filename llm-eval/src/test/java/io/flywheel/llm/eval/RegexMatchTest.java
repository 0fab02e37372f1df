package io.flywheel.llm.eval;

import org.junit.jupiter.api.Test;

import static io.flywheel.llm.eval.Specs.evaluator;
import static io.flywheel.llm.eval.Specs.output;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegexMatchTest {

    @Test
    void findsThePatternAnywhereInTheOutputAndNeedsNoExpectedOutput() {
        Evaluator e = evaluator("regex", "pattern", "\\bParis\\b");
        EvalScore hit = e.evaluate(output("I believe it is Paris, of course.", null));
        assertThat(hit.value()).isEqualTo(1);
        assertThat(hit.comment()).isEqualTo("matches /\\bParis\\b/");
        assertThat(e.evaluate(output("Parisian", null)).value()).isZero();
    }

    @Test
    void fullMatchWantsTheWholeOutput() {
        Evaluator e = evaluator("regex", "pattern", "\\d{3}-\\d{4}", "full_match", true);
        assertThat(e.evaluate(output("555-1234", null)).value()).isEqualTo(1);
        EvalScore miss = e.evaluate(output("call 555-1234", null));
        assertThat(miss.value()).isZero();
        assertThat(miss.comment()).contains("does not match").contains("whole output");
    }

    @Test
    void caseInsensitiveWhenAsked() {
        assertThat(evaluator("regex", "pattern", "paris").evaluate(output("PARIS", null)).value()).isZero();
        assertThat(evaluator("regex", "pattern", "paris", "case_insensitive", true).evaluate(output("PARIS", null)).value()).isEqualTo(1);
    }

    @Test
    void aMissingOutputMatchesOnlyWhatMatchesNothing() {
        assertThat(evaluator("regex", "pattern", "^$").evaluate(output(null, null)).value()).isEqualTo(1);
        assertThat(evaluator("regex", "pattern", "x").evaluate(output(null, null)).value()).isZero();
    }

    @Test
    void aBrokenPatternIsRefusedWhenTheEvaluatorIsMade() {
        assertThatThrownBy(() -> evaluator("regex", "pattern", "(unclosed"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("evaluator regex: 'pattern' is not a valid regular expression");
        assertThatThrownBy(() -> evaluator("regex"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("evaluator regex: 'pattern' is required");
    }
}
