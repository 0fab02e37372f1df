package io.flywheel.retrain.llm.optimise;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The decisions of a prompt optimisation, plain Java: which template variables a prompt has (a candidate
 * must keep the baseline's), the meta-prompt that asks the endpoint for a better prompt, a run's mean of the
 * deciding score, the best candidate and whether it beats the baseline by the margin.
 */
public final class Optimisations {

    /** As PromptTemplate fills them: {@code {{ name }}}. */
    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.\\-]+)\\s*}}");

    /** The most failing items shown to the meta-prompt: enough to see the pattern, short enough for any context window. */
    public static final int MAX_FAILING_ITEMS = 10;

    /**
     * The default meta-prompt. It names no template variable of its own (the endpoint would copy it into the
     * candidate): {@code {{prompt}}}, {@code {{score_name}}} and {@code {{failing_items}}} are filled before it is sent.
     */
    public static final String DEFAULT_META_PROMPT = """
            You improve prompts for a language model application. Rewrite the prompt below into a better prompt: one that \
            makes the model's outputs score higher on "{{score_name}}" for inputs like the failing examples that follow.
            Keep every template variable of the prompt (the names written in double braces) exactly as it is written, so the \
            new prompt still renders with the same inputs. Answer with the improved prompt only, no explanation.

            The current prompt:
            ---
            {{prompt}}
            ---

            Examples where the current prompt's output failed (input, expected output, output):
            {{failing_items}}
            """;

    /** One item the baseline failed on, as the meta-prompt shows it. */
    public record Failure(String input, String expected, String output) {
    }

    /** How a candidate or the baseline scored: the mean of the deciding score over every item (an item without it counts 0). */
    public record Scored(int index, double mean) {
    }

    /** The outcome: the best candidate (null when none could be scored) and whether it beats the baseline by the margin. */
    public record Decision(Scored best, double baselineMean, double margin, boolean improved, String reason) {
    }

    private Optimisations() {
    }

    /** The distinct variables of a prompt's text, in order of appearance. */
    public static Set<String> variables(String text) {
        Set<String> out = new LinkedHashSet<>();
        if (text == null) {
            return out;
        }
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** What is wrong with a candidate, or null when it may run: it is empty, or it drops a variable of the baseline. */
    public static String refusal(String baseline, String candidate) {
        if (candidate == null || candidate.isBlank()) {
            return "the candidate is empty";
        }
        Set<String> missing = new LinkedHashSet<>(variables(baseline));
        missing.removeAll(variables(candidate));
        if (!missing.isEmpty()) {
            return "the candidate drops the baseline's template variable(s) " + String.join(", ", missing.stream().map(v -> "{{" + v + "}}").toList())
                    + ": it would not render with the dataset's inputs";
        }
        return null;
    }

    /**
     * The meta-prompt: {@code template} (the default when null) with {@code {{prompt}}}, {@code {{score_name}}} and
     * {@code {{failing_items}}} filled, one replacement pass so a value holding those words is left as it is.
     */
    public static String metaPrompt(String template, String baseline, String scoreName, List<Failure> failures) {
        String t = template == null || template.isBlank() ? DEFAULT_META_PROMPT : template;
        StringBuilder items = new StringBuilder();
        List<Failure> shown = failures.size() > MAX_FAILING_ITEMS ? failures.subList(0, MAX_FAILING_ITEMS) : failures;
        if (shown.isEmpty()) {
            items.append("(none: every example passed; make the prompt clearer and more robust)\n");
        }
        for (int i = 0; i < shown.size(); i++) {
            Failure f = shown.get(i);
            items.append(i + 1).append(". input: ").append(oneLine(f.input())).append('\n')
                    .append("   expected: ").append(oneLine(f.expected())).append('\n')
                    .append("   output: ").append(oneLine(f.output())).append('\n');
        }
        Matcher m = Pattern.compile("\\{\\{\\s*(prompt|score_name|failing_items)\\s*}}").matcher(t);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "prompt" -> baseline;
                case "score_name" -> scoreName;
                default -> items.toString().stripTrailing();
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A custom meta-prompt must show the current prompt. */
    public static String metaPromptRefusal(String template) {
        if (template == null) {
            return null;
        }
        return Pattern.compile("\\{\\{\\s*prompt\\s*}}").matcher(template).find() ? null
                : "generate.meta_prompt must contain {{prompt}} (where the current prompt goes); {{failing_items}} and {{score_name}} are optional";
    }

    /** The candidate the endpoint answered, cleaned of what a model wraps a prompt in (a code fence, surrounding quotes). */
    public static String cleanCandidate(String answer) {
        if (answer == null) {
            return null;
        }
        String s = answer.strip();
        if (s.startsWith("```") && s.endsWith("```") && s.length() >= 6) {
            s = s.substring(3, s.length() - 3);
            int nl = s.indexOf('\n');
            // a language tag on the fence's line
            if (nl >= 0 && !s.substring(0, nl).isBlank() && !s.substring(0, nl).contains(" ")) {
                s = s.substring(nl + 1);
            }
            s = s.strip();
        }
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") && s.indexOf('"', 1) == s.length() - 1) {
            s = s.substring(1, s.length() - 1).strip();
        }
        return s;
    }

    /** The mean over {@code items} values; a null (an item that failed or was not scored) counts 0. */
    public static double mean(List<Double> values) {
        if (values.isEmpty()) {
            return 0;
        }
        double sum = 0;
        for (Double v : values) {
            sum += v == null ? 0 : v;
        }
        return sum / values.size();
    }

    /**
     * The best candidate (highest mean; the first of equals) and the decision: it must beat the baseline's mean
     * by at least {@code margin}, and strictly (an equal candidate is no improvement even with margin 0).
     */
    public static Decision decide(double baselineMean, List<Scored> candidates, double margin) {
        Scored best = null;
        for (Scored c : candidates) {
            if (best == null || c.mean() > best.mean()) {
                best = c;
            }
        }
        if (best == null) {
            return new Decision(null, baselineMean, margin, false, "no candidate could be scored");
        }
        double improvement = best.mean() - baselineMean;
        // a mean is a sum divided by a count: compare with a tolerance so 0.1 + 0.2 doesn't miss a margin of 0.3
        boolean improved = improvement > 1e-9 && improvement >= margin - 1e-9;
        String figures = String.format(Locale.ROOT, "best candidate %d mean %.6f vs baseline %.6f: improvement %.6f, margin %.6f",
                best.index(), best.mean(), baselineMean, improvement, margin);
        return new Decision(best, baselineMean, margin, improved, (improved ? "beats the baseline: " : "no improvement: ") + figures);
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "(none)";
        }
        String flat = s.replace('\n', ' ').replace('\r', ' ').strip();
        return flat.length() > 500 ? flat.substring(0, 500) + "…" : flat;
    }

    /** Whether a degradation starts an optimisation; {@code rule} names the guardrail that refused it (null when accepted). */
    public record TriggerVerdict(boolean accepted, String rule, String reason) {
    }

    /**
     * The guardrails of an event-started optimisation, checked in this order: duplicate (the same event, or another
     * reporting the same prompt version, score and window), no policy, disabled, one already queued or running,
     * cooldown after the prompt's last optimisation (its end, or its start while it runs).
     */
    public static TriggerVerdict trigger(String prompt, boolean hasPolicy, boolean enabled, String duplicateOf, String activeId,
                                         java.time.Instant lastAt, String lastId, java.time.Duration cooldown, java.time.Instant now) {
        if (duplicateOf != null) {
            return new TriggerVerdict(false, "duplicate", "duplicate: " + duplicateOf);
        }
        if (!hasPolicy) {
            return new TriggerVerdict(false, "no-policy", "no optimisation policy for prompt '" + prompt + "'");
        }
        if (!enabled) {
            return new TriggerVerdict(false, "disabled", "the optimisation policy of prompt '" + prompt + "' is disabled");
        }
        if (activeId != null) {
            return new TriggerVerdict(false, "max-concurrent", "optimisation " + activeId + " of prompt '" + prompt + "' is already queued or running");
        }
        if (lastAt != null && !cooldown.isZero() && now.isBefore(lastAt.plus(cooldown))) {
            return new TriggerVerdict(false, "cooldown", "cooldown: the last optimisation " + lastId + " was at " + lastAt
                    + "; the policy's cooldown of " + cooldown + " lasts until " + lastAt.plus(cooldown));
        }
        return new TriggerVerdict(true, null, "accepted: every guardrail passed");
    }

    /** Convenience for callers building {@link Scored} lists. */
    static List<Scored> scored(double... means) {
        List<Scored> out = new ArrayList<>();
        for (int i = 0; i < means.length; i++) {
            out.add(new Scored(i, means[i]));
        }
        return out;
    }
}
