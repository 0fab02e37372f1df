package io.flywheel.llm.eval;

import io.flywheel.llm.eval.chat.ChatClient;
import io.flywheel.llm.eval.chat.ChatCompletion;
import io.flywheel.llm.eval.chat.ChatEndpointException;
import io.flywheel.llm.eval.chat.ChatRequest;
import io.flywheel.llm.eval.chat.TokenUsage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.flywheel.llm.eval.Specs.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The judge's prompt and the reading of its answers, against a judge that answers what each test says. */
class LlmJudgeTest {

    private final List<ChatRequest> asked = new ArrayList<>();

    private ChatClient answering(String answer) {
        return request -> {
            asked.add(request);
            return new ChatCompletion(answer, request.model(), TokenUsage.NONE, Duration.ofMillis(1));
        };
    }

    private Evaluator judge(String answer, Object... keyValues) {
        Map<String, Object> p = params(keyValues);
        p.putIfAbsent("rubric", "The response names the correct capital and nothing else.");
        p.putIfAbsent("model", "judge-model");
        return Evaluators.create(new EvaluatorSpec("llm_judge", "correctness", p), answering(answer));
    }

    private static EvalCase paris() {
        return new EvalCase("What is the capital of France?", "Paris", "Paris", Map.of());
    }

    @Test
    void asksTheJudgeWithTheRubricTheScaleAndTheCase() {
        EvalScore score = judge("{\"score\": 5, \"reason\": \"Correct and concise.\"}").evaluate(paris());

        assertThat(score).isEqualTo(new EvalScore("correctness", ScoreType.NUMERIC, 5, null, "Correct and concise."));
        ChatRequest request = asked.getFirst();
        assertThat(request.model()).isEqualTo("judge-model");
        assertThat(request.parameters()).isEqualTo(Map.of("temperature", 0));
        assertThat(request.messages().get(0).role()).isEqualTo("system");
        assertThat(request.messages().get(0).content())
                .startsWith(LlmJudge.SYSTEM_PREFIX)
                .contains("Rubric:\nThe response names the correct capital and nothing else.")
                .contains("Give a score from 1 to 5 (5 is best).")
                .contains("{\"score\": <number>, \"reason\": \"<one sentence>\"}");
        assertThat(request.messages().get(1).content())
                .isEqualTo("Input:\nWhat is the capital of France?\n\nExpected output:\nParis\n\nResponse:\nParis");
    }

    @Test
    void leavesOutTheSectionsACaseDoesNotHave() {
        judge("{\"score\": 3}").evaluate(new EvalCase(null, "Paris", null, Map.of()));
        assertThat(asked.getFirst().messages().get(1).content()).isEqualTo("Response:\nParis");
    }

    @Test
    void readsAVerdictWrappedInProseOrAFence() {
        assertThat(judge("Here is my verdict:\n```json\n{\"score\": \"4\", \"reason\": \"Mostly right\"}\n```").evaluate(paris()).value())
                .isEqualTo(4);
        EvalScore prose = judge("Score: 2\nReason: it rambles.").evaluate(paris());
        assertThat(prose.value()).isEqualTo(2);
        assertThat(prose.comment()).isEqualTo("it rambles.");
        assertThat(judge("3").evaluate(paris()).value()).isEqualTo(3);
        assertThat(judge("**Score**: 4.5/5").evaluate(paris()).value()).isEqualTo(4.5);
    }

    @Test
    void aCustomScaleAndParameters() {
        EvalScore score = judge("{\"score\": 0.75}", "min", 0, "max", 1, "parameters", Map.of("temperature", 0.2, "seed", 1))
                .evaluate(paris());
        assertThat(score.value()).isEqualTo(0.75);
        assertThat(asked.getFirst().messages().get(0).content()).contains("Give a score from 0 to 1 (1 is best).");
        assertThat(asked.getFirst().parameters()).isEqualTo(Map.of("temperature", 0.2, "seed", 1));
    }

    @Test
    void anAnswerWithoutAScoreIsAnErrorNotAZero() {
        assertThatThrownBy(() -> judge("I think the response is quite good.").evaluate(paris()))
                .isInstanceOf(EvaluationException.class)
                .hasMessage("correctness: could not read a score in the judge's answer \"I think the response is quite good.\"");
        assertThatThrownBy(() -> judge("{\"reason\": \"fine\"}").evaluate(paris()))
                .isInstanceOf(EvaluationException.class)
                .hasMessageContaining("could not read a score");
    }

    @Test
    void aScoreOffTheScaleIsAnError() {
        assertThatThrownBy(() -> judge("{\"score\": 9}").evaluate(paris()))
                .isInstanceOf(EvaluationException.class)
                .hasMessageStartingWith("correctness: the judge gave 9, off the scale 1..5");
    }

    @Test
    void categoriesAreChosenByNameAndValuedByPosition() {
        Evaluator e = judge("{\"category\": \"Good\", \"reason\": \"right answer\"}", "categories", List.of("bad", "ok", "good"));
        assertThat(e.evaluate(paris())).isEqualTo(new EvalScore("correctness", ScoreType.CATEGORICAL, 2, "good", "right answer"));
        assertThat(asked.getFirst().messages().get(0).content())
                .contains("Choose exactly one category of: bad, ok, good (listed from worst to best).");
        assertThat(judge("ok", "categories", List.of("bad", "ok", "good")).evaluate(paris()).category()).isEqualTo("ok");
        assertThat(judge("Category: bad\nReason: wrong city", "categories", List.of("bad", "ok", "good")).evaluate(paris()).value())
                .isZero();
    }

    @Test
    void aCategoryNotOnTheListIsAnError() {
        assertThatThrownBy(() -> judge("{\"category\": \"excellent\"}", "categories", List.of("bad", "good")).evaluate(paris()))
                .isInstanceOf(EvaluationException.class)
                .hasMessageStartingWith("correctness: the judge chose \"excellent\", which is not one of [bad, good]");
    }

    @Test
    void theEndpointsFailureComesThrough() {
        ChatClient failing = request -> {
            throw new ChatEndpointException("the chat endpoint answered HTTP 401: bad key", 401, null);
        };
        Evaluator e = Evaluators.create(new EvaluatorSpec("llm_judge", null, params("rubric", "r", "model", "m")), failing);
        assertThatThrownBy(() -> e.evaluate(paris())).isInstanceOf(ChatEndpointException.class).hasMessageContaining("401");
    }

    @Test
    void aJudgeSpecThatCannotWorkIsRefused() {
        assertThatThrownBy(() -> Evaluators.create(new EvaluatorSpec("llm_judge", null, params("model", "m")), answering("1")))
                .hasMessage("evaluator llm_judge: 'rubric' is required");
        assertThatThrownBy(() -> Evaluators.create(new EvaluatorSpec("llm_judge", null, params("rubric", "r", "model", "m")), null))
                .hasMessageContaining("needs a chat client");
        assertThatThrownBy(() -> judge("1", "min", 5, "max", 1)).hasMessageContaining("'min' must be below 'max'");
        assertThatThrownBy(() -> judge("1", "categories", List.of("a", "b"), "max", 3)).hasMessageContaining("not both");
        assertThatThrownBy(() -> judge("1", "categories", List.of("a", "A"))).hasMessageContaining("must be distinct");
        assertThatThrownBy(() -> judge("1", "categories", List.of())).hasMessageContaining("non-empty list of strings");
    }
}
