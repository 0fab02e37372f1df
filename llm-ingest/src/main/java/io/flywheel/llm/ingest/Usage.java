package io.flywheel.llm.ingest;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Token usage and cost in the shapes clients send, brought to Langfuse's usage details: counts by
 * kind, {@code input}, {@code output}, {@code total}, and finer kinds such as {@code input_cached_tokens}
 * or {@code output_reasoning_tokens}. The finer input and output kinds are taken out of {@code input}
 * and {@code output} (as Langfuse does, so that a price per kind never counts a token twice).
 */
public final class Usage {
    private static final Set<String> COMPLETION_KEYS = Set.of(
            "prompt_tokens", "completion_tokens", "total_tokens", "prompt_tokens_details", "completion_tokens_details");
    private static final Set<String> RESPONSES_KEYS = Set.of(
            "input_tokens", "output_tokens", "total_tokens", "input_tokens_details", "output_tokens_details");

    private Usage() {
    }

    /**
     * Langfuse's {@code usageDetails}: a map of kind → count (numeric strings parsed, other values
     * dropped), or an OpenAI Chat Completions usage {@code {prompt_tokens, completion_tokens,
     * total_tokens, *_details}}, or an OpenAI Responses usage {@code {input_tokens, output_tokens, ...}}.
     * Null when nothing usable was sent.
     */
    public static Map<String, Long> details(Object value) {
        if (!(value instanceof Map<?, ?> map) || map.isEmpty()) {
            return null;
        }
        if (map.containsKey("prompt_tokens") && map.containsKey("completion_tokens") && COMPLETION_KEYS.containsAll(map.keySet())) {
            return openAi(map, "prompt_tokens", "completion_tokens", "prompt_tokens_details", "completion_tokens_details");
        }
        if (map.containsKey("input_tokens") && map.containsKey("output_tokens") && RESPONSES_KEYS.containsAll(map.keySet())) {
            return openAi(map, "input_tokens", "output_tokens", "input_tokens_details", "output_tokens_details");
        }
        Map<String, Long> details = new LinkedHashMap<>();
        map.forEach((key, count) -> {
            Long parsed = count(count);
            if (parsed != null) {
                details.put(String.valueOf(key), parsed);
            }
        });
        return details.isEmpty() ? null : details;
    }

    /**
     * Langfuse's legacy {@code usage}: {@code {input, output, total, unit, inputCost, outputCost,
     * totalCost}}, or the OpenAI style {@code {promptTokens, completionTokens, totalTokens}}. The unit
     * is not kept: the records count usage by kind only.
     */
    public static Map<String, Long> legacyDetails(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return null;
        }
        Map<String, Long> details = new LinkedHashMap<>();
        putCount(details, "input", first(map, "input", "promptTokens"));
        putCount(details, "output", first(map, "output", "completionTokens"));
        putCount(details, "total", first(map, "total", "totalTokens"));
        return details.isEmpty() ? null : details;
    }

    /** The costs in a legacy {@code usage} ({@code inputCost, outputCost, totalCost}) as cost details. */
    public static Map<String, Double> legacyCosts(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return null;
        }
        Map<String, Double> costs = new LinkedHashMap<>();
        putCost(costs, "input", map.get("inputCost"));
        putCost(costs, "output", map.get("outputCost"));
        putCost(costs, "total", map.get("totalCost"));
        return costs.isEmpty() ? null : costs;
    }

    /** {@code costDetails}: kind → USD, non-negative numbers (or numeric strings); other values dropped. */
    public static Map<String, Double> costs(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return null;
        }
        Map<String, Double> costs = new LinkedHashMap<>();
        map.forEach((key, cost) -> putCost(costs, String.valueOf(key), cost));
        return costs.isEmpty() ? null : costs;
    }

    /**
     * OpenTelemetry's {@code gen_ai.usage.*} and OpenInference's {@code llm.token_count.*} counts
     * (keys without that prefix): prompt/input → input, completion/output → output, total; cache
     * reads and writes and reasoning and audio tokens as finer kinds, taken out of input and output.
     */
    public static Map<String, Long> fromSemanticConventions(Map<String, Object> counts) {
        Map<String, Long> raw = new LinkedHashMap<>();
        counts.forEach((key, value) -> {
            Long parsed = count(value);
            if (parsed != null) {
                raw.put(key, parsed);
            }
        });
        if (raw.isEmpty()) {
            return null;
        }
        Map<String, Long> details = new LinkedHashMap<>();
        long inputDetails = 0;
        long outputDetails = 0;
        for (Map.Entry<String, Long> entry : raw.entrySet()) {
            String kind = conventionKind(entry.getKey());
            if (kind == null) {
                kind = entry.getKey().replace('.', '_');
            }
            details.merge(kind, entry.getValue(), Long::sum);
            if (kind.startsWith("input_")) {
                inputDetails += entry.getValue();
            } else if (kind.startsWith("output_")) {
                outputDetails += entry.getValue();
            }
        }
        subtract(details, "input", inputDetails);
        subtract(details, "output", outputDetails);
        return details;
    }

    private static String conventionKind(String key) {
        return switch (key) {
            case "prompt_tokens", "input_tokens", "prompt", "input" -> "input";
            case "completion_tokens", "output_tokens", "completion", "output" -> "output";
            case "total_tokens", "total" -> "total";
            case "cache_read_input_tokens", "cache_read.input_tokens", "cached_tokens", "input_tokens_details.cached_tokens",
                    "prompt_details.cache_read", "cache_read" -> "input_cached_tokens";
            case "cache_creation_input_tokens", "cache_creation.input_tokens", "prompt_details.cache_write", "cache_write" ->
                    "input_cache_creation";
            case "reasoning_tokens", "output_tokens_details.reasoning_tokens", "completion_details.reasoning" ->
                    "output_reasoning_tokens";
            case "audio_tokens", "output_tokens_details.audio_tokens", "completion_details.audio" -> "output_audio_tokens";
            default -> null;
        };
    }

    private static Map<String, Long> openAi(Map<?, ?> map, String inputKey, String outputKey, String inputDetailsKey, String outputDetailsKey) {
        Map<String, Long> details = new LinkedHashMap<>();
        putCount(details, "input", map.get(inputKey));
        putCount(details, "output", map.get(outputKey));
        putCount(details, "total", map.get("total_tokens"));
        long inputDetails = putDetails(details, "input_", map.get(inputDetailsKey));
        long outputDetails = putDetails(details, "output_", map.get(outputDetailsKey));
        subtract(details, "input", inputDetails);
        subtract(details, "output", outputDetails);
        return details.isEmpty() ? null : details;
    }

    private static long putDetails(Map<String, Long> details, String prefix, Object value) {
        long sum = 0;
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Long parsed = count(entry.getValue());
                if (parsed != null) {
                    details.put(prefix + entry.getKey(), parsed);
                    sum += parsed;
                }
            }
        }
        return sum;
    }

    private static void subtract(Map<String, Long> details, String kind, long amount) {
        if (amount > 0) {
            details.computeIfPresent(kind, (k, count) -> Math.max(0, count - amount));
        }
    }

    private static Object first(Map<?, ?> map, String... keys) {
        for (String key : keys) {
            if (map.get(key) != null) {
                return map.get(key);
            }
        }
        return null;
    }

    private static void putCount(Map<String, Long> details, String kind, Object value) {
        Long parsed = count(value);
        if (parsed != null) {
            details.put(kind, parsed);
        }
    }

    private static void putCost(Map<String, Double> costs, String kind, Object value) {
        Double parsed = number(value);
        if (parsed != null && !parsed.isNaN() && parsed >= 0 && !parsed.isInfinite()) {
            costs.put(kind, parsed);
        }
    }

    /** A non-negative whole count from a number or a numeric string; null otherwise. */
    static Long count(Object value) {
        Double number = number(value);
        if (number == null || number.isNaN() || number < 0 || number.isInfinite()) {
            return null;
        }
        return (long) Math.floor(number);
    }

    private static Double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s && !s.isBlank()) {
            try {
                return new BigDecimal(s.trim()).doubleValue();
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
