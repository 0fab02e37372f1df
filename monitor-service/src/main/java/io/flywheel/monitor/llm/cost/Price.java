package io.flywheel.monitor.llm.cost;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One row of the price table: a model (matched by name, case-insensitively, or by {@code match}), the
 * time from which the prices apply, and the price in USD of one unit of each usage kind
 * ({@code input}, {@code output}, {@code cached_input}, or any other key of a generation's usage).
 */
public record Price(String model, Pattern match, Instant validFrom, String unit, Map<String, BigDecimal> perUnit) {

    public boolean matches(String name) {
        return name != null && (model.equalsIgnoreCase(name) || (match != null && match.matcher(name).matches()));
    }
}
