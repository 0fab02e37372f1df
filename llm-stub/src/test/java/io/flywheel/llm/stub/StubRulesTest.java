package io.flywheel.llm.stub;

import io.flywheel.llm.stub.StubRules.Message;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The stub's rules, as llm-stub/README.md states them. */
class StubRulesTest {

    private static String ask(String system, String user) {
        return StubRules.reply(List.of(new Message("system", system), new Message("user", user)), Map.of());
    }

    @Test
    void theInstructionsDecideTheFormOfAKnownAnswer() {
        String q = "What is the capital of France?";
        assertThat(ask("Answer with only the answer, no explanation.", q)).isEqualTo("Paris");
        assertThat(ask("Reply in one word.", q)).isEqualTo("Paris");
        assertThat(ask("Be concise.", q)).isEqualTo("The answer is Paris.");
        assertThat(ask("You are a helpful assistant.", q))
                .isEqualTo("Great question! After thinking it through carefully, I believe the answer is Paris. "
                        + "Let me know if there is anything else I can help you with.");
        assertThat(ask("Answer in JSON.", q)).isEqualTo("{\"answer\": \"Paris\"}");
        assertThat(ask("Answer in JSON.", "What is 6 * 7?")).isEqualTo("{\"answer\": 42}");
    }

    @Test
    void instructionsMayComeInTheUserMessageToo() {
        assertThat(StubRules.reply(List.of(new Message("user", "What is 17 * 3? Answer with just the number.")), Map.of()))
                .isEqualTo("51");
    }

    @Test
    void knowsItsFactsAndArithmetic() {
        assertThat(Knowledge.answer("Which is the largest planet?")).contains("Jupiter");
        assertThat(Knowledge.answer("Who wrote Hamlet?")).contains("Shakespeare");
        assertThat(Knowledge.answer("12 + 30")).contains("42");
        assertThat(Knowledge.answer("what is 7 x 6")).contains("42");
        assertThat(Knowledge.answer("10 / 4")).contains("2.5");
        assertThat(Knowledge.answer("1 / 0")).isEmpty();
        assertThat(Knowledge.answer("2.5 - 0.5")).contains("2");
        assertThat(Knowledge.answer("What is the meaning of life?")).isEmpty();
    }

    @Test
    void anUnknownQuestionIsAdmittedInTheAskedForm() {
        assertThat(ask("Answer with only the answer.", "Who am I?")).isEqualTo("unknown");
        assertThat(ask("Be brief.", "Who am I?")).isEqualTo("I don't know.");
        assertThat(ask("Answer in JSON.", "Who am I?")).isEqualTo("{\"answer\": null}");
    }

    @Test
    void theOptimiserAnswersWithABetterPromptChosenBySeedKeepingTheVariables() {
        List<Message> meta = List.of(
                new Message("system", "You are a prompt engineer."),
                new Message("user", "Improve this prompt so that answers score better:\n---\nYou are helpful.\n\n{{question}}\n---"));
        assertThat(StubRules.reply(meta, Map.of()))
                .isEqualTo("Answer the question with only the answer itself: a single word or number, no explanation.\n\n{{question}}");
        assertThat(StubRules.reply(meta, Map.of("seed", 1))).isEqualTo("Reply with just the answer and nothing else.\n\n{{question}}");
        assertThat(StubRules.reply(meta, Map.of("seed", 2))).isEqualTo("Be concise: answer in one short sentence.\n\n{{question}}");
        assertThat(StubRules.reply(meta, Map.of("seed", 5))).isEqualTo(StubRules.reply(meta, Map.of("seed", 2)));
        assertThat(StubRules.reply(List.of(new Message("user", "Please rewrite the following prompt: be nice")), Map.of()))
                .isEqualTo(StubRules.IMPROVED_PROMPTS.getFirst());
    }

    @Test
    void theImprovedPromptsAskForTheFormsTheyClaim() {
        assertThat(StubRules.form(StubRules.IMPROVED_PROMPTS.get(0))).isEqualTo(StubRules.Form.EXACT);
        assertThat(StubRules.form(StubRules.IMPROVED_PROMPTS.get(1))).isEqualTo(StubRules.Form.EXACT);
        assertThat(StubRules.form(StubRules.IMPROVED_PROMPTS.get(2))).isEqualTo(StubRules.Form.BRIEF);
    }

    private static String judge(String scale, String user) {
        return StubRules.reply(List.of(new Message("system", StubRules.JUDGE_PREFIX + " Grade the response.\n\nRubric:\nCorrect.\n\n" + scale),
                new Message("user", user)), Map.of());
    }

    @Test
    void theJudgeGradesByTokenF1AgainstTheExpectedOutput() {
        String scale = "Give a score from 1 to 5 (5 is best).";
        assertThat(judge(scale, "Input:\nCapital of France?\n\nExpected output:\nParis\n\nResponse:\nParis"))
                .isEqualTo("{\"score\": 5, \"reason\": \"token F1 1.00 against the expected output\"}");
        // "the answer is paris": F1 0.4 -> 1 + 0.4 * 4 = 2.6 -> 3
        assertThat(judge(scale, "Expected output:\nParis\n\nResponse:\nThe answer is Paris."))
                .isEqualTo("{\"score\": 3, \"reason\": \"token F1 0.40 against the expected output\"}");
        assertThat(judge(scale, "Expected output:\nParis\n\nResponse:\nLondon")).startsWith("{\"score\": 1,");
        assertThat(judge("Give a score from 0 to 1 (1 is best).", "Expected output:\nParis\n\nResponse:\nThe answer is Paris."))
                .startsWith("{\"score\": 0.40,");
    }

    @Test
    void withoutAnExpectedOutputTheJudgeComparesWithItsOwnAnswer() {
        assertThat(judge("Give a score from 1 to 5 (5 is best).", "Input:\nWhat is 2 + 2?\n\nResponse:\n4"))
                .isEqualTo("{\"score\": 5, \"reason\": \"token F1 1.00 against the stub's answer\"}");
        assertThat(judge("Give a score from 1 to 5 (5 is best).", "Input:\nWho am I?\n\nResponse:\nYou."))
                .startsWith("{\"score\": 3,");
    }

    @Test
    void theJudgeChoosesACategoryWorstToBest() {
        String scale = "Choose exactly one category of: bad, ok, good (listed from worst to best).";
        assertThat(judge(scale, "Expected output:\nParis\n\nResponse:\nParis")).startsWith("{\"category\": \"good\"");
        assertThat(judge(scale, "Expected output:\nParis\n\nResponse:\nThe answer is Paris.")).startsWith("{\"category\": \"ok\"");
        assertThat(judge(scale, "Expected output:\nParis\n\nResponse:\nRome")).startsWith("{\"category\": \"bad\"");
    }

    @Test
    void sectionsEndAtTheNextSection() {
        String text = "Input:\nq\nline 2\n\nExpected output:\ne\n\nResponse:\nr\n\nmore";
        assertThat(StubRules.section(text, "Input:")).isEqualTo("q\nline 2");
        assertThat(StubRules.section(text, "Expected output:")).isEqualTo("e");
        assertThat(StubRules.section(text, "Response:")).isEqualTo("r\n\nmore");
        assertThat(StubRules.section("Response:\nx", "Input:")).isNull();
    }

    @Test
    void tokensAreWhiteSpaceSeparated() {
        assertThat(StubRules.tokens("  The answer is\nParis. ")).isEqualTo(4);
        assertThat(StubRules.tokens("   ")).isZero();
    }
}
