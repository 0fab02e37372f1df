package io.flywheel.monitor.llm.cost;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * What an observation cost: the client's figure when it gave one ({@code source} "given"), else the
 * price table's ({@code source} "calculated", with the row used), else nothing known ({@code source} null).
 * {@code calculated} holds the price table's cost by usage kind plus {@code total}, only when it was used.
 */
public record Cost(BigDecimal givenTotal, Map<String, BigDecimal> calculated, BigDecimal calculatedTotal, String source,
                   String priceModel, Instant priceValidFrom) {

    public static final String GIVEN = "given";
    public static final String CALCULATED = "calculated";
    public static final Cost NONE = new Cost(null, null, null, null, null, null);

    public BigDecimal total() {
        return GIVEN.equals(source) ? givenTotal : calculatedTotal;
    }
}
