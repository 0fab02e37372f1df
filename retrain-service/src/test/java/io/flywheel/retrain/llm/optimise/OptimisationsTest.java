package io.flywheel.retrain.llm.optimise;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OptimisationsTest {

    @Test
    void variablesAreTheDistinctNamesInDoubleBracesInOrder() {
        assertThat(Optimisations.variables("Answer {{ question }} about {{topic}}, {{question}} again")).containsExactly("question", "topic");
        assertThat(Optimisations.variables("no variables")).isEmpty();
        assertThat(Optimisations.variables(null)).isEmpty();
    }

    @Test
    void aCandidateThatDropsAVariableOfTheBaselineIsRefusedNamingIt() {
        assertThat(Optimisations.refusal("Answer: {{question}} ({{lang}})", "Just the answer.\n\n{{question}}"))
                .isEqualTo("the candidate drops the baseline's template variable(s) {{lang}}: it would not render with the dataset's inputs");
        assertThat(Optimisations.refusal("Answer: {{question}}", "Only the answer: {{ question }} {{extra}}")).isNull();
        assertThat(Optimisations.refusal("Answer: {{question}}", "  ")).isEqualTo("the candidate is empty");
        assertThat(Optimisations.refusal("Answer: {{question}}", null)).isEqualTo("the candidate is empty");
    }

    @Test
    void theDefaultMetaPromptShowsThePromptTheScoreAndTheFailingItems() {
        String meta = Optimisations.metaPrompt(null, "Answer the question: {{question}}", "exact_match", List.of(
                new Optimisations.Failure("{\"question\":\"What is the capital of France?\"}", "Paris", "Great question!\nIt is Paris."),
                new Optimisations.Failure("{\"question\":\"2+2\"}", null, "(error: the chat endpoint failed)")));
        assertThat(meta).contains("Rewrite the prompt below into a better prompt")
                .contains("score higher on \"exact_match\"")
                .contains("---\nAnswer the question: {{question}}\n---")
                .contains("1. input: {\"question\":\"What is the capital of France?\"}\n   expected: Paris\n   output: Great question! It is Paris.")
                .contains("2. input: {\"question\":\"2+2\"}\n   expected: (none)\n   output: (error: the chat endpoint failed)");
        // the only template variables in it are the prompt's, which the endpoint is asked to keep
        assertThat(Optimisations.variables(meta)).containsExactly("question");
    }

    @Test
    void aCustomMetaPromptIsFilledInOnePassAndMustShowThePrompt() {
        String meta = Optimisations.metaPrompt("Improve this prompt: {{prompt}}\nFailures:\n{{ failing_items }}", "Say {{failing_items}}",
                "f1", List.of());
        assertThat(meta).isEqualTo("Improve this prompt: Say {{failing_items}}\nFailures:\n(none: every example passed; make the prompt clearer and more robust)");
        assertThat(Optimisations.metaPromptRefusal("Make it better")).contains("must contain {{prompt}}");
        assertThat(Optimisations.metaPromptRefusal("Better: {{ prompt }}")).isNull();
        assertThat(Optimisations.metaPromptRefusal(null)).isNull();
    }

    @Test
    void theMetaPromptShowsAtMostTenFailingItems() {
        List<Optimisations.Failure> many = java.util.stream.IntStream.range(0, 25)
                .mapToObj(i -> new Optimisations.Failure("q" + i, "a" + i, "o" + i)).toList();
        String meta = Optimisations.metaPrompt(null, "p", "s", many);
        assertThat(meta).contains("10. input: q9").doesNotContain("11. input");
    }

    @Test
    void aCandidateIsCleanedOfFencesAndQuotes() {
        assertThat(Optimisations.cleanCandidate("```text\nOnly the answer: {{q}}\n```")).isEqualTo("Only the answer: {{q}}");
        assertThat(Optimisations.cleanCandidate("```\nOnly the answer\n```")).isEqualTo("Only the answer");
        assertThat(Optimisations.cleanCandidate("  \"Only the answer\"  ")).isEqualTo("Only the answer");
        assertThat(Optimisations.cleanCandidate("Say \"hi\" and \"bye\"")).isEqualTo("Say \"hi\" and \"bye\"");
        assertThat(Optimisations.cleanCandidate(null)).isNull();
    }

    @Test
    void aMeanCountsAnUnscoredItemAsZero() {
        assertThat(Optimisations.mean(java.util.Arrays.asList(1.0, null, 1.0, 0.0))).isEqualTo(0.5);
        assertThat(Optimisations.mean(List.of())).isZero();
    }

    @Test
    void theBestCandidateMustBeatTheBaselineByTheMarginAndStrictly() {
        Optimisations.Decision won = Optimisations.decide(0.25, Optimisations.scored(0.5, 1.0, 1.0), 0.5);
        assertThat(won.improved()).isTrue();
        assertThat(won.best().index()).isEqualTo(1);
        assertThat(won.reason()).isEqualTo("beats the baseline: best candidate 1 mean 1.000000 vs baseline 0.250000: improvement 0.750000, margin 0.500000");

        Optimisations.Decision short_ = Optimisations.decide(0.6, Optimisations.scored(0.7), 0.2);
        assertThat(short_.improved()).isFalse();
        assertThat(short_.reason()).startsWith("no improvement: best candidate 0 mean 0.700000 vs baseline 0.600000: improvement 0.100000");

        // exactly the margin is enough (a mean's rounding does not miss it)
        assertThat(Optimisations.decide(0.1, Optimisations.scored(0.1 + 0.2), 0.2).improved()).isTrue();
        // equal is never an improvement, even with margin 0
        assertThat(Optimisations.decide(1.0, Optimisations.scored(1.0, 0.5), 0).improved()).isFalse();
        assertThat(Optimisations.decide(0.5, List.of(), 0)).satisfies(d -> {
            assertThat(d.improved()).isFalse();
            assertThat(d.best()).isNull();
            assertThat(d.reason()).isEqualTo("no candidate could be scored");
        });
    }

    @Test
    void aDegradationStartsAnOptimisationOnlyPastEveryGuardrailAndTheFirstThatRefusesSaysWhy() {
        java.time.Instant now = java.time.Instant.parse("2026-12-07T06:00:00Z");
        java.time.Duration day = java.time.Duration.ofHours(24);
        assertThat(Optimisations.trigger("qa", true, true, "trigger 3 reported the same k", "o-1", null, null, day, now).rule()).isEqualTo("duplicate");
        assertThat(Optimisations.trigger("qa", false, false, null, null, null, null, day, now))
                .isEqualTo(new Optimisations.TriggerVerdict(false, "no-policy", "no optimisation policy for prompt 'qa'"));
        assertThat(Optimisations.trigger("qa", true, false, null, null, null, null, day, now).rule()).isEqualTo("disabled");
        assertThat(Optimisations.trigger("qa", true, true, null, "o-1", now, "o-1", day, now).reason())
                .isEqualTo("optimisation o-1 of prompt 'qa' is already queued or running");
        Optimisations.TriggerVerdict cooling = Optimisations.trigger("qa", true, true, null, null, now.minusSeconds(3600), "o-2", day, now);
        assertThat(cooling.rule()).isEqualTo("cooldown");
        assertThat(cooling.reason()).isEqualTo("cooldown: the last optimisation o-2 was at 2026-12-07T05:00:00Z; the policy's cooldown of PT24H "
                + "lasts until 2026-12-08T05:00:00Z");
        assertThat(Optimisations.trigger("qa", true, true, null, null, now.minus(day), "o-2", day, now).accepted()).isTrue();
        assertThat(Optimisations.trigger("qa", true, true, null, null, now, "o-2", java.time.Duration.ZERO, now).accepted()).isTrue();
    }
}
