package io.flywheel.monitor.llm.cost;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An observation's cost. A cost the client gave wins: its {@code total}, or the sum of its kinds when
 * it gave no total. Otherwise, for a generation (or embedding) with a model and usage, each usage kind
 * with a price in the row that prices the model at the generation's start time costs units × price;
 * the total is their sum. Usage kinds are matched by name, and the common spellings of input, output
 * and cached-input tokens ({@code prompt_tokens}, {@code cache_read_input_tokens}...) by their price's
 * key; {@code total} is never priced.
 */
public final class CostCalculator {

    private static final Set<String> PRICED_TYPES = Set.of("GENERATION", "EMBEDDING");

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("input_tokens", "input"), Map.entry("prompt_tokens", "input"), Map.entry("promptTokens", "input"),
            Map.entry("output_tokens", "output"), Map.entry("completion_tokens", "output"), Map.entry("completionTokens", "output"),
            Map.entry("input_cached_tokens", "cached_input"), Map.entry("cache_read_input_tokens", "cached_input"),
            Map.entry("input_cache_read", "cached_input"), Map.entry("cached_tokens", "cached_input"),
            Map.entry("cached_input_tokens", "cached_input"));

    private final PriceTable table;

    public CostCalculator(PriceTable table) {
        this.table = table;
    }

    public Cost of(String type, String model, Instant startTime, Map<String, ? extends Number> usage,
                   Map<String, ? extends Number> given) {
        if (given != null && !given.isEmpty()) {
            return new Cost(givenTotal(given), null, null, Cost.GIVEN, null, null);
        }
        if (model == null || usage == null || usage.isEmpty() || (type != null && !PRICED_TYPES.contains(type))) {
            return Cost.NONE;
        }
        Price price = table.find(model, startTime).orElse(null);
        if (price == null) {
            return Cost.NONE;
        }
        Map<String, BigDecimal> byKind = new LinkedHashMap<>();
        BigDecimal total = BigDecimal.ZERO;
        for (Map.Entry<String, ? extends Number> u : usage.entrySet()) {
            if (u.getValue() == null || "total".equals(u.getKey())) {
                continue;
            }
            BigDecimal unitPrice = price.perUnit().get(u.getKey());
            if (unitPrice == null) {
                unitPrice = price.perUnit().get(ALIASES.get(u.getKey()));
            }
            if (unitPrice == null) {
                continue;
            }
            BigDecimal cost = unitPrice.multiply(new BigDecimal(u.getValue().toString()));
            byKind.put(u.getKey(), cost);
            total = total.add(cost);
        }
        if (byKind.isEmpty()) {
            return Cost.NONE;
        }
        byKind.put("total", total);
        return new Cost(null, byKind, total, Cost.CALCULATED, price.model(), price.validFrom());
    }

    static BigDecimal givenTotal(Map<String, ? extends Number> given) {
        Number total = given.get("total");
        if (total != null) {
            return new BigDecimal(total.toString());
        }
        BigDecimal sum = BigDecimal.ZERO;
        for (Number n : given.values()) {
            if (n != null) {
                sum = sum.add(new BigDecimal(n.toString()));
            }
        }
        return sum;
    }
}
