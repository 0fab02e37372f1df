package io.flywheel.monitor.llm.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Model prices by date. Read from JSON:
 * <pre>{"prices": [{"model": "gpt-4o", "match": "(?i)(openai/)?gpt-4o(-\\d{4}-\\d{2}-\\d{2})?",
 *   "valid_from": "2024-10-02", "unit": "TOKENS", "per": 1000000,
 *   "prices": {"input": 2.5, "output": 10, "cached_input": 1.25}}]}</pre>
 * {@code per} (default 1) is how many units the prices are for: 1 for a price per token (or per
 * image, request...), 1000000 for the usual price per million tokens. {@code valid_from} is a date
 * (midnight UTC) or an instant; a model may have several rows, and a generation is priced by the row
 * in force at its start time (the latest {@code valid_from} not after it).
 */
public final class PriceTable {

    private final List<Price> prices;

    public PriceTable(List<Price> prices) {
        List<Price> sorted = new ArrayList<>(prices);
        sorted.sort(Comparator.comparing(Price::validFrom).reversed()); // newest first: the first match in force wins
        this.prices = List.copyOf(sorted);
    }

    public static PriceTable empty() {
        return new PriceTable(List.of());
    }

    public List<Price> prices() {
        return prices;
    }

    /** The row that prices {@code model} at {@code at} (null: now). */
    public Optional<Price> find(String model, Instant at) {
        if (model == null) {
            return Optional.empty();
        }
        Instant when = at == null ? Instant.now() : at;
        for (Price p : prices) {
            if (!p.validFrom().isAfter(when) && p.matches(model)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public static PriceTable read(InputStream in, ObjectMapper json) throws IOException {
        JsonNode root = json.readTree(in);
        JsonNode rows = root == null ? null : root.get("prices");
        if (rows == null || !rows.isArray()) {
            throw new IllegalArgumentException("a price table is {\"prices\": [...]}");
        }
        List<Price> out = new ArrayList<>();
        int index = 0;
        for (JsonNode row : rows) {
            out.add(row(row, index++));
        }
        return new PriceTable(out);
    }

    private static Price row(JsonNode row, int index) {
        String where = "prices[" + index + "]";
        String model = text(row, "model");
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException(where + ".model is required");
        }
        Pattern match = null;
        String regex = text(row, "match");
        if (regex != null) {
            try {
                match = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(where + ".match is not a regular expression: " + e.getDescription());
            }
        }
        Instant validFrom = validFrom(text(row, "valid_from"), where);
        String unit = text(row, "unit") == null ? "TOKENS" : text(row, "unit");
        BigDecimal per = row.has("per") ? row.get("per").decimalValue() : BigDecimal.ONE;
        if (per.signum() <= 0) {
            throw new IllegalArgumentException(where + ".per must be more than 0");
        }
        JsonNode priceNode = row.get("prices");
        if (priceNode == null || !priceNode.isObject() || priceNode.isEmpty()) {
            throw new IllegalArgumentException(where + ".prices must name at least one usage kind and its price");
        }
        Map<String, BigDecimal> perUnit = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = priceNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNumber() || e.getValue().decimalValue().signum() < 0) {
                throw new IllegalArgumentException(where + ".prices." + e.getKey() + " must be a number, 0 or more");
            }
            perUnit.put(e.getKey(), e.getValue().decimalValue().divide(per, MathContext.DECIMAL64));
        }
        return new Price(model, match, validFrom, unit, Map.copyOf(perUnit));
    }

    private static Instant validFrom(String text, String where) {
        if (text == null) {
            return Instant.EPOCH;
        }
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + ".valid_from must be a date (2024-10-02) or an instant, was " + text);
        }
    }

    private static String text(JsonNode row, String field) {
        JsonNode n = row.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }
}
