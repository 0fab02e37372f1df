package io.flywheel.llm.eval;

import org.junit.jupiter.api.Test;

import static io.flywheel.llm.eval.Specs.evaluator;
import static io.flywheel.llm.eval.Specs.output;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NumericToleranceTest {

    @Test
    void readsTheFirstNumberOfEachSide() {
        assertThat(NumericTolerance.firstNumber("The answer is 1,234.5 apples, not 7").orElseThrow()).isEqualTo(1234.5);
        assertThat(NumericTolerance.firstNumber("-3 degrees").orElseThrow()).isEqualTo(-3);
        assertThat(NumericTolerance.firstNumber("about 2.5e-3").orElseThrow()).isEqualTo(0.0025);
        assertThat(NumericTolerance.firstNumber("3,4").orElseThrow()).isEqualTo(3);
        assertThat(NumericTolerance.firstNumber("none")).isEmpty();
    }

    @Test
    void withoutToleranceTheNumbersMustBeEqual() {
        Evaluator e = evaluator("numeric_tolerance");
        assertThat(e.evaluate(output("It is 51.", "51")).value()).isEqualTo(1);
        EvalScore off = e.evaluate(output("52", "51"));
        assertThat(off.value()).isZero();
        assertThat(off.comment()).isEqualTo("52 is not within 0 of 51 (off by 1)");
    }

    @Test
    void absoluteTolerance() {
        Evaluator e = evaluator("numeric_tolerance", "absolute", 0.5);
        assertThat(e.evaluate(output("3.4", "3")).value()).isEqualTo(1);
        assertThat(e.evaluate(output("3.6", "3")).value()).isZero();
    }

    @Test
    void relativeToleranceIsAShareOfTheExpectedValueAndTheLargerAllowanceWins() {
        Evaluator relative = evaluator("numeric_tolerance", "relative", 0.01);
        assertThat(relative.evaluate(output("1009", "1000")).value()).isEqualTo(1);
        assertThat(relative.evaluate(output("1011", "1000")).value()).isZero();
        Evaluator both = evaluator("numeric_tolerance", "absolute", 2, "relative", 0.01);
        assertThat(both.evaluate(output("11.5", "10")).value()).isEqualTo(1);
        assertThat(both.evaluate(output("1015", "1000")).value()).isZero();
    }

    @Test
    void anOutputWithoutANumberFailsSayingSo() {
        EvalScore score = evaluator("numeric_tolerance").evaluate(output("I don't know", "42"));
        assertThat(score.value()).isZero();
        assertThat(score.comment()).isEqualTo("no number in the output \"I don't know\"");
    }

    @Test
    void anExpectedOutputWithoutANumberOrNoneAtAllSaysSo() {
        assertThatThrownBy(() -> evaluator("numeric_tolerance").evaluate(output("42", "forty-two")))
                .isInstanceOf(EvaluationException.class)
                .hasMessage("numeric_tolerance needs a number in the item's expected output, and \"forty-two\" has none");
        assertThatThrownBy(() -> evaluator("numeric_tolerance").evaluate(output("42", null)))
                .isInstanceOf(EvaluationException.class)
                .hasMessageContaining("this item has none");
    }

    @Test
    void aNegativeToleranceIsRefused() {
        assertThatThrownBy(() -> evaluator("numeric_tolerance", "absolute", -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("evaluator numeric_tolerance: 'absolute' must be 0 or more, not -1.0");
        assertThatThrownBy(() -> evaluator("numeric_tolerance", "relative", "1%"))
                .hasMessageContaining("'relative' must be a number");
    }
}
