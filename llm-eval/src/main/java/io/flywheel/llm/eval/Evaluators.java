package io.flywheel.llm.eval;

import io.flywheel.llm.eval.chat.ChatClient;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Makes an {@link Evaluator} from its spec. Every parameter is checked here, once, so a spec that
 * cannot work is refused before a run starts, with an {@link IllegalArgumentException} that says what
 * to fix. The types and their parameters are in llm-eval/README.md.
 */
public final class Evaluators {

    /** The types {@link #create} knows. */
    public static final List<String> TYPES = List.of("exact_match", "regex", "json_schema", "numeric_tolerance",
            "string_similarity", "llm_judge");

    private Evaluators() {
    }

    /**
     * @param judgeClient the endpoint an {@code llm_judge} asks; unused by the other types, which may pass null
     */
    public static Evaluator create(EvaluatorSpec spec, ChatClient judgeClient) {
        Objects.requireNonNull(spec, "spec");
        if (spec.type() == null || spec.type().isBlank()) {
            throw new IllegalArgumentException("an evaluator needs a type, one of " + TYPES);
        }
        String name = spec.scoreName();
        return switch (spec.type()) {
            case "exact_match" -> {
                Params p = new Params(spec, Set.of("case_sensitive", "trim"));
                yield new ExactMatch(name, p.bool("case_sensitive", true), p.bool("trim", true));
            }
            case "regex" -> regex(spec, name);
            case "json_schema" -> {
                Params p = new Params(spec, Set.of("schema", "strip_code_fence"));
                yield new JsonSchemaValidity(name, p.object("schema"), p.bool("strip_code_fence", true), p);
            }
            case "numeric_tolerance" -> {
                Params p = new Params(spec, Set.of("absolute", "relative"));
                yield new NumericTolerance(name, p.nonNegative("absolute", 0), p.nonNegative("relative", 0));
            }
            case "string_similarity" -> similarity(spec, name);
            case "llm_judge" -> judge(spec, name, judgeClient);
            default -> throw new IllegalArgumentException("unknown evaluator type '" + spec.type() + "'; the types are " + TYPES);
        };
    }

    private static Evaluator regex(EvaluatorSpec spec, String name) {
        Params p = new Params(spec, Set.of("pattern", "case_insensitive", "full_match"));
        String pattern = p.string("pattern");
        try {
            return new RegexMatch(name, Pattern.compile(pattern, p.bool("case_insensitive", false)
                    ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0), p.bool("full_match", false));
        } catch (PatternSyntaxException e) {
            throw p.invalid("'pattern' is not a valid regular expression: " + e.getDescription() + " near index " + e.getIndex());
        }
    }

    private static Evaluator similarity(EvaluatorSpec spec, String name) {
        Params p = new Params(spec, Set.of("method", "case_sensitive", "threshold"));
        String method = p.string("method", "levenshtein");
        StringSimilarity.Method m = switch (method.toLowerCase(Locale.ROOT)) {
            case "levenshtein" -> StringSimilarity.Method.LEVENSHTEIN;
            case "token_f1" -> StringSimilarity.Method.TOKEN_F1;
            default -> throw p.invalid("'method' is levenshtein or token_f1, not \"" + method + "\"");
        };
        Double threshold = p.number("threshold");
        if (threshold != null && (threshold < 0 || threshold > 1)) {
            throw p.invalid("'threshold' is a similarity between 0 and 1, not " + threshold);
        }
        return new StringSimilarity(name, m, p.bool("case_sensitive", false), threshold);
    }

    private static Evaluator judge(EvaluatorSpec spec, String name, ChatClient judgeClient) {
        Params p = new Params(spec, Set.of("rubric", "model", "min", "max", "categories", "parameters"));
        String rubric = p.string("rubric");
        String model = p.string("model");
        List<String> categories = p.strings("categories");
        if (categories != null && (p.has("min") || p.has("max"))) {
            throw p.invalid("give either 'categories' or a numeric scale ('min', 'max'), not both");
        }
        if (categories != null && categories.stream().map(c -> c.toLowerCase(Locale.ROOT)).distinct().count() != categories.size()) {
            throw p.invalid("'categories' must be distinct (case-insensitively): " + categories);
        }
        Double min = p.number("min");
        Double max = p.number("max");
        double lo = min == null ? 1 : min;
        double hi = max == null ? 5 : max;
        if (categories == null && !(lo < hi)) {
            throw p.invalid("'min' must be below 'max', not " + Cases.format(lo) + ".." + Cases.format(hi));
        }
        Map<String, Object> parameters = p.has("parameters") ? p.object("parameters") : Map.of("temperature", 0);
        if (judgeClient == null) {
            throw p.invalid("an llm_judge needs a chat client to ask its judge; none was given");
        }
        return new LlmJudge(name, judgeClient, model, rubric, lo, hi, categories, parameters);
    }
}
