package io.flywheel.llm.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.llm.eval.chat.ChatClient;
import io.flywheel.llm.eval.chat.ChatMessage;
import io.flywheel.llm.eval.chat.ChatRequest;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LLM-as-judge: asks a model, through the same kind of endpoint as the runs, to grade an output
 * against a rubric, on a numeric scale ({@code min}..{@code max}) or by choosing one of
 * {@code categories} (listed worst to best; the score's value is the category's position). The judge
 * is asked for {@code {"score": n, "reason": "..."}} (or {@code "category"}); its answer is read
 * leniently (a JSON object anywhere in it, else "score: n", else a bare number or category), and an
 * answer none of those fit, or a score off the scale, is an {@link EvaluationException}, never a 0.
 */
final class LlmJudge implements Evaluator {

    /** The judge's system prompt starts so; llm-stub's judge mode keys on it (llm-stub/README.md). */
    static final String SYSTEM_PREFIX = "You are an impartial judge.";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SCORE = Pattern.compile("(?i)\\bscore\\b\\W{0,3}\\s*(-?\\d+(?:\\.\\d+)?)");
    private static final Pattern CATEGORY = Pattern.compile("(?i)\\b(?:category|label|verdict)\\b\\s*[:=]\\s*\"?([^\"\\n,}]+)");
    private static final Pattern BARE_NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");
    private static final Pattern REASON = Pattern.compile("(?is)\\breason\\b\\s*[:=]\\s*(.+)");

    private final String name;
    private final ChatClient client;
    private final String model;
    private final String rubric;
    private final double min;
    private final double max;
    private final List<String> categories;
    private final Map<String, Object> parameters;

    LlmJudge(String name, ChatClient client, String model, String rubric, double min, double max, List<String> categories,
             Map<String, Object> parameters) {
        this.name = name;
        this.client = client;
        this.model = model;
        this.rubric = rubric;
        this.min = min;
        this.max = max;
        this.categories = categories;
        this.parameters = parameters;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public EvalScore evaluate(EvalCase evalCase) {
        String answer = client.complete(new ChatRequest(model, messages(evalCase), parameters)).content();
        return categories == null ? numeric(answer) : categorical(answer);
    }

    List<ChatMessage> messages(EvalCase evalCase) {
        String scale = categories == null
                ? "Give a score from " + Cases.format(min) + " to " + Cases.format(max) + " (" + Cases.format(max) + " is best).\n"
                  + "Answer with a JSON object only, on one line: {\"score\": <number>, \"reason\": \"<one sentence>\"}"
                : "Choose exactly one category of: " + String.join(", ", categories) + " (listed from worst to best).\n"
                  + "Answer with a JSON object only, on one line: {\"category\": \"<category>\", \"reason\": \"<one sentence>\"}";
        String system = SYSTEM_PREFIX + " Grade the response below against the rubric.\n\nRubric:\n" + rubric.strip() + "\n\n" + scale;
        StringBuilder user = new StringBuilder();
        if (evalCase.input() != null) {
            user.append("Input:\n").append(evalCase.input()).append("\n\n");
        }
        if (evalCase.expectedOutput() != null) {
            user.append("Expected output:\n").append(evalCase.expectedOutput()).append("\n\n");
        }
        user.append("Response:\n").append(Cases.output(evalCase));
        return List.of(ChatMessage.system(system), ChatMessage.user(user.toString()));
    }

    private EvalScore numeric(String answer) {
        Verdict verdict = read(answer);
        Double score = verdict.score();
        if (score == null) {
            throw unreadable(answer, "a score");
        }
        if (score < min || score > max) {
            throw new EvaluationException(name + ": the judge gave " + Cases.format(score) + ", off the scale "
                    + Cases.format(min) + ".." + Cases.format(max) + "; its answer: " + Cases.quote(answer));
        }
        return EvalScore.numeric(name, score, verdict.reason());
    }

    private EvalScore categorical(String answer) {
        Verdict verdict = read(answer);
        String said = verdict.category();
        if (said == null) {
            throw unreadable(answer, "one of the categories " + categories);
        }
        for (int i = 0; i < categories.size(); i++) {
            if (categories.get(i).equalsIgnoreCase(said.strip())) {
                return new EvalScore(name, ScoreType.CATEGORICAL, i, categories.get(i), verdict.reason());
            }
        }
        throw new EvaluationException(name + ": the judge chose " + Cases.quote(said) + ", which is not one of " + categories
                + "; its answer: " + Cases.quote(answer));
    }

    private EvaluationException unreadable(String answer, String what) {
        return new EvaluationException(name + ": could not read " + what + " in the judge's answer " + Cases.quote(answer));
    }

    /** What an answer says: a score, a category, a reason; each null when it says none. */
    record Verdict(Double score, String category, String reason) {
    }

    Verdict read(String answer) {
        String text = answer == null ? "" : answer.strip();
        Optional<JsonNode> object = jsonObjectIn(text);
        if (object.isPresent()) {
            JsonNode o = object.get();
            Double score = number(o.get("score"));
            String category = textOf(o, "category", "label", "verdict");
            if (score != null || category != null) {
                return new Verdict(score, category, textOf(o, "reason", "explanation", "rationale"));
            }
        }
        Double score = null;
        String category = null;
        Matcher m = SCORE.matcher(text);
        if (m.find()) {
            score = Double.parseDouble(m.group(1));
        } else if (BARE_NUMBER.matcher(text).matches()) {
            score = Double.parseDouble(text);
        }
        if (categories != null) {
            Matcher c = CATEGORY.matcher(text);
            if (c.find()) {
                category = c.group(1).strip();
            } else {
                String bare = text.replaceAll("^[\"'*`]+|[\"'*`.!]+$", "");
                category = categories.stream().filter(bare::equalsIgnoreCase).findFirst().orElse(null);
            }
        }
        Matcher r = REASON.matcher(text);
        return new Verdict(score, category, r.find() ? r.group(1).strip() : text);
    }

    /** The outermost {...} of the answer, when it parses as a JSON object (judges like to add prose or fences). */
    private static Optional<JsonNode> jsonObjectIn(String text) {
        int start = text.indexOf('{');
        int end = text.lastIndexOf('}');
        if (start < 0 || end <= start) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(text.substring(start, end + 1));
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException notJson) {
            return Optional.empty();
        }
    }

    private static Double number(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual() && BARE_NUMBER.matcher(node.asText().strip()).matches()) {
            return Double.parseDouble(node.asText().strip());
        }
        return null;
    }

    private static String textOf(JsonNode o, String... keys) {
        for (String key : keys) {
            JsonNode v = o.get(key);
            if (v != null && v.isTextual() && !v.asText().isBlank()) {
                return v.asText();
            }
        }
        return null;
    }
}
