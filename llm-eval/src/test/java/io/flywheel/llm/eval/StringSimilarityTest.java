package io.flywheel.llm.eval;

import org.junit.jupiter.api.Test;

import static io.flywheel.llm.eval.Specs.evaluator;
import static io.flywheel.llm.eval.Specs.output;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class StringSimilarityTest {

    @Test
    void levenshteinIsOneMinusEditsOverTheLongerLength() {
        // kitten -> sitting: 3 edits over 7 characters
        EvalScore score = evaluator("string_similarity").evaluate(output("kitten", "sitting"));
        assertThat(score.type()).isEqualTo(ScoreType.NUMERIC);
        assertThat(score.value()).isCloseTo(1 - 3.0 / 7, within(1e-12));
        assertThat(score.comment()).isEqualTo("levenshtein similarity 0.571");
    }

    @Test
    void comparesNormalisedText() {
        Evaluator e = evaluator("string_similarity");
        assertThat(e.evaluate(output("  Hello \n World ", "hello world")).value()).isEqualTo(1);
        assertThat(evaluator("string_similarity", "case_sensitive", true).evaluate(output("Hello", "hello")).value())
                .isCloseTo(0.8, within(1e-12));
        assertThat(e.evaluate(output("", "")).value()).isEqualTo(1);
        assertThat(e.evaluate(output(null, "abc")).value()).isZero();
    }

    @Test
    void tokenF1CountsSharedWordsIgnoringPunctuation() {
        Evaluator e = evaluator("string_similarity", "method", "token_f1");
        // "the capital is paris" vs "paris": precision 1/4, recall 1 -> F1 0.4
        assertThat(e.evaluate(output("The capital is Paris.", "Paris")).value()).isCloseTo(0.4, within(1e-12));
        assertThat(e.evaluate(output("Paris!", "paris")).value()).isEqualTo(1);
        assertThat(e.evaluate(output("London", "Paris")).value()).isZero();
        // multiplicity: "a a b" vs "a b b" share a and b once each
        assertThat(Similarity.tokenF1("a a b", "a b b")).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void aThresholdMakesItAPass() {
        Evaluator e = evaluator("string_similarity", "method", "token_f1", "threshold", 0.5);
        EvalScore fail = e.evaluate(output("The capital is Paris.", "Paris"));
        assertThat(fail.type()).isEqualTo(ScoreType.BOOLEAN);
        assertThat(fail.value()).isZero();
        assertThat(fail.comment()).isEqualTo("token_f1 similarity 0.400 < threshold 0.5");
        assertThat(e.evaluate(output("Paris, France", "Paris")).value()).isEqualTo(1);
    }

    @Test
    void noExpectedOutputSaysSo() {
        assertThatThrownBy(() -> evaluator("string_similarity").evaluate(output("x", null)))
                .isInstanceOf(EvaluationException.class)
                .hasMessageContaining("string_similarity compares the output with the item's expected output");
    }

    @Test
    void aBadMethodOrThresholdIsRefused() {
        assertThatThrownBy(() -> evaluator("string_similarity", "method", "cosine"))
                .hasMessage("evaluator string_similarity: 'method' is levenshtein or token_f1, not \"cosine\"");
        assertThatThrownBy(() -> evaluator("string_similarity", "threshold", 1.5))
                .hasMessageContaining("'threshold' is a similarity between 0 and 1");
    }
}
