package io.flywheel.llm.stub;

import io.flywheel.llm.eval.EvalCase;
import io.flywheel.llm.eval.EvalScore;
import io.flywheel.llm.eval.Evaluator;
import io.flywheel.llm.eval.EvaluatorSpec;
import io.flywheel.llm.eval.Evaluators;
import io.flywheel.llm.eval.ScoreType;
import io.flywheel.llm.eval.chat.ChatClient;
import io.flywheel.llm.eval.chat.ChatMessage;
import io.flywheel.llm.eval.chat.ChatRequest;
import io.flywheel.llm.eval.chat.OpenAiChatClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * What the stub is for: run prompts over a small dataset through OpenAiChatClient, score the outputs
 * with llm-eval's evaluators (the judge through the stub too), and see a better prompt score better,
 * and the optimiser's prompt beat the one it was asked to improve.
 */
class PromptQualityTest {

    record Item(String input, String expected) {
    }

    private static final List<Item> DATASET = List.of(
            new Item("What is the capital of France?", "Paris"),
            new Item("What is the capital of Canada?", "Ottawa"),
            new Item("Which is the largest planet?", "Jupiter"),
            new Item("What is 17 * 3?", "51"),
            new Item("What is 144 / 12?", "12"),
            new Item("Who wrote Hamlet?", "Shakespeare"));

    private static final String VAGUE = "You are a helpful assistant.";
    private static final String CONCISE = "Be concise.";
    private static final String EXACT = "Answer with only the answer itself, no explanation.";

    private static StubServer stub;
    private static ChatClient client;
    private static List<Evaluator> evaluators;

    @BeforeAll
    static void start() throws IOException {
        stub = StubServer.start("127.0.0.1", 0);
        client = new OpenAiChatClient(new OpenAiChatClient.Config(stub.baseUrl(), null, Duration.ofSeconds(5), 1, 0));
        evaluators = List.of(
                Evaluators.create(new EvaluatorSpec("exact_match", null, Map.of()), client),
                Evaluators.create(new EvaluatorSpec("string_similarity", "token_f1", Map.of("method", "token_f1")), client),
                Evaluators.create(new EvaluatorSpec("llm_judge", "judge", Map.of("model", "stub-1",
                        "rubric", "The response is the correct answer and nothing more.")), client));
    }

    @AfterAll
    static void stop() {
        stub.close();
    }

    /** Mean score per evaluator of a system prompt over the dataset, as an experiment computes it. */
    private static Map<String, Double> run(String systemPrompt) {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        for (Item item : DATASET) {
            String output = client.complete(new ChatRequest("stub-1",
                    List.of(ChatMessage.system(systemPrompt), ChatMessage.user(item.input())), Map.of("temperature", 0))).content();
            for (Evaluator evaluator : evaluators) {
                EvalScore score = evaluator.evaluate(new EvalCase(item.input(), output, item.expected(), Map.of()));
                values.computeIfAbsent(score.name(), n -> new ArrayList<>()).add(score.value());
            }
        }
        Map<String, Double> means = new LinkedHashMap<>();
        values.forEach((name, v) -> means.put(name, v.stream().mapToDouble(Double::doubleValue).average().orElseThrow()));
        return means;
    }

    @Test
    void aBetterPromptScoresBetterOnEveryEvaluator() {
        Map<String, Double> vague = run(VAGUE);
        Map<String, Double> concise = run(CONCISE);
        Map<String, Double> exact = run(EXACT);

        assertThat(vague.get("exact_match")).isZero();
        assertThat(concise.get("exact_match")).isZero();
        assertThat(exact.get("exact_match")).isEqualTo(1);
        assertThat(vague.get("token_f1")).isLessThan(concise.get("token_f1"));
        assertThat(concise.get("token_f1")).isCloseTo(0.4, within(1e-9));
        assertThat(exact.get("token_f1")).isEqualTo(1);
        assertThat(vague.get("judge")).isLessThan(concise.get("judge"));
        assertThat(concise.get("judge")).isLessThan(exact.get("judge"));
        assertThat(exact.get("judge")).isEqualTo(5);
    }

    @Test
    void runsAreDeterministic() {
        assertThat(run(CONCISE)).isEqualTo(run(CONCISE));
    }

    @Test
    void theJudgeAnswersInAFormLlmJudgeReadsAsCategoriesToo() {
        Evaluator categories = Evaluators.create(new EvaluatorSpec("llm_judge", "verdict", Map.of("model", "stub-1",
                "rubric", "Correct and concise.", "categories", List.of("wrong", "partly", "right"))), client);
        EvalCase right = new EvalCase("What is the capital of Spain?", "Madrid", "Madrid", Map.of());
        EvalCase partly = new EvalCase("What is the capital of Spain?", "The answer is Madrid.", "Madrid", Map.of());
        EvalCase wrong = new EvalCase("What is the capital of Spain?", "Lisbon", "Madrid", Map.of());

        assertThat(categories.evaluate(right)).isEqualTo(new EvalScore("verdict", ScoreType.CATEGORICAL, 2, "right",
                "token F1 1.00 against the expected output"));
        assertThat(categories.evaluate(partly).category()).isEqualTo("partly");
        assertThat(categories.evaluate(wrong).category()).isEqualTo("wrong");
    }

    @Test
    void theOptimisersBestCandidateBeatsThePromptItImproves() {
        String metaPrompt = "Improve the prompt below so that its answers score better on exact match against the expected answers."
                + "\n\nPrompt:\n" + VAGUE + "\n\nReply with the improved prompt only.";
        double original = run(VAGUE).get("exact_match");
        String best = null;
        double bestScore = -1;
        List<String> candidates = new ArrayList<>();
        for (int seed = 0; seed < 3; seed++) {
            String candidate = client.complete(new ChatRequest("stub-1",
                    List.of(ChatMessage.system("You are a prompt engineer."), ChatMessage.user(metaPrompt)), Map.of("seed", seed))).content();
            candidates.add(candidate);
            double score = run(candidate).get("exact_match");
            if (score > bestScore) {
                best = candidate;
                bestScore = score;
            }
        }

        assertThat(candidates).containsExactlyElementsOf(StubRules.IMPROVED_PROMPTS);
        assertThat(best).isEqualTo(StubRules.IMPROVED_PROMPTS.getFirst());
        assertThat(bestScore).isEqualTo(1).isGreaterThan(original);
        // the concise candidate is better than the original by similarity, not by exact match
        assertThat(run(candidates.get(2)).get("token_f1")).isGreaterThan(run(VAGUE).get("token_f1"));
    }
}
