package io.flywheel.monitor.llm.online;

import io.flywheel.llm.eval.EvaluatorSpec;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class OnlineEvaluatorTest {

    private static OnlineEvaluator rule(double rate, String observation, String prompt) {
        return new OnlineEvaluator("p", "digits", new EvaluatorSpec("regex", null, Map.of("pattern", "^\\d+$")), rate, observation, prompt);
    }

    @Test
    void samplesTheRateShareOfObservationsAndAlwaysTheSameOnes() {
        OnlineEvaluator rule = rule(0.2, null, null);
        long sampled = IntStream.range(0, 20_000).filter(i -> rule.samples("obs-" + i)).count();
        // binomial(20000, 0.2): sd ~57, so 4 sd either side
        assertThat(sampled).isBetween(3_772L, 4_228L);
        assertThat(IntStream.range(0, 1_000).allMatch(i -> rule.samples("obs-" + i) == rule.samples("obs-" + i))).isTrue();
        assertThat(IntStream.range(0, 1_000).allMatch(i -> rule(1.0, null, null).samples("obs-" + i))).isTrue();
    }

    @Test
    void twoRulesOfOneRateSampleDifferentObservations() {
        OnlineEvaluator a = rule(0.5, null, null);
        OnlineEvaluator b = new OnlineEvaluator("p", "other", a.evaluator(), 0.5, null, null);
        long both = IntStream.range(0, 10_000).filter(i -> a.samples("o" + i) && b.samples("o" + i)).count();
        assertThat(both).isBetween(2_300L, 2_700L); // independent: a quarter, not a half
    }

    @Test
    void matchesGenerationsWithOutputOfItsObservationAndPrompt() {
        OnlineEvaluator rule = rule(1, "llm", "calc");
        assertThat(rule.matches("GENERATION", "llm", "calc", true)).isTrue();
        assertThat(rule.matches("GENERATION", "llm", "calc", false)).as("no output yet").isFalse();
        assertThat(rule.matches("SPAN", "llm", "calc", true)).isFalse();
        assertThat(rule.matches("GENERATION", "other", "calc", true)).isFalse();
        assertThat(rule.matches("GENERATION", "llm", "other", true)).isFalse();
        assertThat(rule(1, null, null).matches("GENERATION", null, null, true)).isTrue();
    }

    @Test
    void oneScoreIdPerRuleAndObservation() {
        OnlineEvaluator rule = rule(1, null, null);
        assertThat(rule.scoreId("o1")).isEqualTo(rule.scoreId("o1")).isNotEqualTo(rule.scoreId("o2"))
                .isNotEqualTo(new OnlineEvaluator("p", "other", rule.evaluator(), 1, null, null).scoreId("o1"));
    }

    @Test
    void problemsSayWhatToFix() {
        assertThat(rule(0, null, null).problems()).singleElement().asString().contains("sample_rate");
        assertThat(rule(1.5, null, null).problems()).singleElement().asString().contains("sample_rate");
        assertThat(new OnlineEvaluator("p", " ", rule(1, null, null).evaluator(), 1, null, null).problems())
                .singleElement().asString().contains("name");
        assertThat(rule(0.01, null, null).problems()).isEmpty();
    }
}
