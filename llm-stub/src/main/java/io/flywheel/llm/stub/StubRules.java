package io.flywheel.llm.stub;

import io.flywheel.llm.eval.Similarity;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the stub answers a chat, deterministically: the same messages and parameters always get the same
 * content. Three modes, checked in this order (llm-stub/README.md has them with examples):
 * <ol>
 * <li>judge: the first message is a system message starting with {@value #JUDGE_PREFIX} (what
 *     llm-eval's llm_judge sends); grades the response by its token F1 against the expected output;</li>
 * <li>optimiser: a message asks to improve/rewrite/optimise a prompt; answers with a better prompt;</li>
 * <li>answer: looks the last user message up in {@link Knowledge} and phrases the answer as the
 *     instructions in the messages ask: JSON, exact, brief, or chatty.</li>
 * </ol>
 */
final class StubRules {

    static final String JUDGE_PREFIX = "You are an impartial judge.";

    /** The ways an answer can be phrased, from what exact-match evaluators like least to most. */
    enum Form {
        CHATTY, BRIEF, EXACT, JSON
    }

    static final Pattern ASKS_FOR_JSON = Pattern.compile("(?i)\\bjson\\b");
    static final Pattern ASKS_FOR_EXACT = Pattern.compile(
            "(?i)\\b(?:only|just)\\b.{0,40}?\\b(?:answer|number|word|name|value)\\b|\\b(?:one|single)[ -]word\\b|\\bno explanation\\b|\\bnothing else\\b");
    static final Pattern ASKS_FOR_BRIEF = Pattern.compile("(?i)\\b(?:concise|concisely|brief|briefly|short|succinct)\\b");
    static final Pattern ASKS_TO_OPTIMISE = Pattern.compile("(?is)\\b(?:improve|improved|rewrite|optimi[sz]e|optimi[sz]ed)\\b.{0,60}?\\bprompt\\b");
    private static final Pattern TEMPLATE_VARIABLE = Pattern.compile("\\{\\{\\s*[A-Za-z_][A-Za-z0-9_.-]*\\s*}}");

    /** The prompts the optimiser answers with, chosen by the request's seed (0 when none). */
    static final List<String> IMPROVED_PROMPTS = List.of(
            "Answer the question with only the answer itself: a single word or number, no explanation.",
            "Reply with just the answer and nothing else.",
            "Be concise: answer in one short sentence.");

    private static final Pattern JUDGE_RANGE = Pattern.compile("(?i)score from (-?\\d+(?:\\.\\d+)?) to (-?\\d+(?:\\.\\d+)?)");
    private static final Pattern JUDGE_CATEGORIES = Pattern.compile("(?i)category of: ([^\\n]+?) \\(listed from worst to best\\)");

    record Message(String role, String content) {
    }

    private StubRules() {
    }

    static String reply(List<Message> messages, Map<String, Object> parameters) {
        if (!messages.isEmpty() && messages.getFirst().role().equals("system") && messages.getFirst().content().startsWith(JUDGE_PREFIX)) {
            return judge(messages);
        }
        String all = allText(messages);
        if (ASKS_TO_OPTIMISE.matcher(all).find()) {
            return improvedPrompt(all, parameters.get("seed"));
        }
        return answer(messages);
    }

    static Form form(String instructions) {
        if (ASKS_FOR_JSON.matcher(instructions).find()) {
            return Form.JSON;
        }
        if (ASKS_FOR_EXACT.matcher(instructions).find()) {
            return Form.EXACT;
        }
        if (ASKS_FOR_BRIEF.matcher(instructions).find()) {
            return Form.BRIEF;
        }
        return Form.CHATTY;
    }

    static String answer(List<Message> messages) {
        String question = lastUserMessage(messages);
        Optional<String> known = Knowledge.answer(question);
        Form form = form(allText(messages));
        if (known.isEmpty()) {
            return switch (form) {
                case JSON -> "{\"answer\": null}";
                case EXACT -> "unknown";
                case BRIEF -> "I don't know.";
                case CHATTY -> "Hmm, I'm not sure about that one, I'm afraid. Could you rephrase the question?";
            };
        }
        String a = known.get();
        return switch (form) {
            case JSON -> "{\"answer\": " + (a.matches("-?\\d+(\\.\\d+)?") ? a : "\"" + a + "\"") + "}";
            case EXACT -> a;
            case BRIEF -> "The answer is " + a + ".";
            case CHATTY -> "Great question! After thinking it through carefully, I believe the answer is " + a
                    + ". Let me know if there is anything else I can help you with.";
        };
    }

    /** A better prompt by the seed, keeping every {{variable}} the request mentions so the template still renders. */
    static String improvedPrompt(String all, Object seed) {
        long s = seed instanceof Number n ? n.longValue() : 0;
        String prompt = IMPROVED_PROMPTS.get((int) Math.floorMod(s, IMPROVED_PROMPTS.size()));
        Set<String> variables = new LinkedHashSet<>();
        Matcher m = TEMPLATE_VARIABLE.matcher(all);
        while (m.find()) {
            variables.add(m.group().replaceAll("\\s", ""));
        }
        return variables.isEmpty() ? prompt : prompt + "\n\n" + String.join("\n", variables);
    }

    /** Grades "Response:" by its token F1 against "Expected output:", else against the stub's own answer to "Input:". */
    static String judge(List<Message> messages) {
        String system = messages.getFirst().content();
        String user = lastUserMessage(messages);
        String response = section(user, "Response:");
        String expected = section(user, "Expected output:");
        String input = section(user, "Input:");
        String reference = expected != null ? expected : input == null ? null : Knowledge.answer(input).orElse(null);
        double quality;
        String basis;
        if (reference == null) {
            quality = response == null || response.isBlank() ? 0 : 0.5;
            basis = "no reference to compare with; an answer gets the middle of the scale";
        } else {
            quality = Similarity.tokenF1(Similarity.normalise(response == null ? "" : response, false),
                    Similarity.normalise(reference, false));
            basis = String.format(Locale.ROOT, "token F1 %.2f against the %s", quality, expected != null ? "expected output" : "stub's answer");
        }
        Matcher categories = JUDGE_CATEGORIES.matcher(system);
        if (categories.find()) {
            List<String> names = new ArrayList<>();
            for (String c : categories.group(1).split(",")) {
                names.add(c.strip());
            }
            String chosen = names.get((int) Math.round(quality * (names.size() - 1)));
            return "{\"category\": \"" + chosen + "\", \"reason\": \"" + basis + "\"}";
        }
        double min = 1;
        double max = 5;
        Matcher range = JUDGE_RANGE.matcher(system);
        if (range.find()) {
            min = Double.parseDouble(range.group(1));
            max = Double.parseDouble(range.group(2));
        }
        double score = min + quality * (max - min);
        // 1..5 or 0..10 are graded in whole points; 0..1 (or any fractional bound) in hundredths
        boolean integers = min == Math.rint(min) && max == Math.rint(max) && max - min >= 2;
        String shown = integers ? Long.toString(Math.round(score)) : String.format(Locale.ROOT, "%.2f", score);
        return "{\"score\": " + shown + ", \"reason\": \"" + basis + "\"}";
    }

    /** The text after a "Name:" line, up to the next known section or the end. */
    static String section(String text, String name) {
        int at = text.startsWith(name) ? 0 : text.indexOf("\n" + name);
        if (at < 0) {
            return null;
        }
        int start = text.indexOf(name, at) + name.length();
        int end = text.length();
        for (String next : List.of("\n\nInput:", "\n\nExpected output:", "\n\nResponse:")) {
            int n = text.indexOf(next, start);
            if (n >= 0 && n < end) {
                end = n;
            }
        }
        return text.substring(start, end).strip();
    }

    private static String lastUserMessage(List<Message> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role().equals("user")) {
                return messages.get(i).content();
            }
        }
        return messages.getLast().content();
    }

    private static String allText(List<Message> messages) {
        StringBuilder all = new StringBuilder();
        messages.forEach(m -> all.append(m.content()).append('\n'));
        return all.toString();
    }

    /** Usage as the stub counts it: white-space separated tokens. */
    static int tokens(String text) {
        String t = text.strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }
}
