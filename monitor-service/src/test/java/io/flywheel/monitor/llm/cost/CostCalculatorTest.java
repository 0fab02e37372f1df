package io.flywheel.monitor.llm.cost;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CostCalculatorTest {

    private static final String TABLE = """
            {"prices": [
              {"model": "gpt-x", "match": "(?i)(openai/)?gpt-x(-\\\\d+)?", "valid_from": "2025-01-01", "per": 1000000,
               "prices": {"input": 5, "output": 15}},
              {"model": "gpt-x", "match": "(?i)(openai/)?gpt-x(-\\\\d+)?", "valid_from": "2025-06-01", "per": 1000000,
               "prices": {"input": 2.5, "output": 10, "cached_input": 1.25}},
              {"model": "painter", "valid_from": "2025-01-01T00:00:00Z", "unit": "IMAGES", "prices": {"images": 0.04}}
            ]}""";

    private static PriceTable table(String json) throws IOException {
        try (InputStream in = new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))) {
            return PriceTable.read(in, new ObjectMapper());
        }
    }

    private static Map<String, Long> usage(Object... kv) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], ((Number) kv[i + 1]).longValue());
        }
        return m;
    }

    @Test
    void theRowInForceAtTheStartTimePrices() throws IOException {
        CostCalculator calc = new CostCalculator(table(TABLE));
        Cost march = calc.of("GENERATION", "gpt-x", Instant.parse("2025-03-01T00:00:00Z"), usage("input", 1000, "output", 100), null);
        assertThat(march.source()).isEqualTo(Cost.CALCULATED);
        assertThat(march.calculated().get("input")).isEqualByComparingTo("0.005");
        assertThat(march.calculated().get("output")).isEqualByComparingTo("0.0015");
        assertThat(march.total()).isEqualByComparingTo("0.0065");
        assertThat(march.priceValidFrom()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));

        Cost july = calc.of("GENERATION", "openai/GPT-X-2", Instant.parse("2025-07-01T00:00:00Z"),
                usage("input", 1000, "output", 100, "cache_read_input_tokens", 2000, "total", 3100), null);
        assertThat(july.calculated()).containsKeys("input", "output", "cache_read_input_tokens", "total").doesNotContainKey("something");
        assertThat(july.total()).isEqualByComparingTo(new BigDecimal("0.0025").add(new BigDecimal("0.001")).add(new BigDecimal("0.0025")));
        assertThat(july.priceModel()).isEqualTo("gpt-x");
    }

    @Test
    void beforeTheFirstRowThereIsNoPrice() throws IOException {
        CostCalculator calc = new CostCalculator(table(TABLE));
        assertThat(calc.of("GENERATION", "gpt-x", Instant.parse("2024-12-31T23:59:59Z"), usage("input", 1), null)).isEqualTo(Cost.NONE);
    }

    @Test
    void aGivenCostWinsAndIsNotRecomputed() throws IOException {
        CostCalculator calc = new CostCalculator(table(TABLE));
        Cost given = calc.of("GENERATION", "gpt-x", Instant.parse("2025-07-01T00:00:00Z"), usage("input", 1000),
                Map.of("input", 0.25, "output", 0.5));
        assertThat(given.source()).isEqualTo(Cost.GIVEN);
        assertThat(given.total()).isEqualByComparingTo("0.75");
        assertThat(given.calculated()).isNull();
        assertThat(calc.of("GENERATION", "gpt-x", null, usage("input", 1), Map.of("total", 2.0, "input", 1.0)).total())
                .isEqualByComparingTo("2.0");
    }

    @Test
    void perUnitPricesAndUnknownModelsAndSpans() throws IOException {
        CostCalculator calc = new CostCalculator(table(TABLE));
        assertThat(calc.of("GENERATION", "painter", Instant.parse("2025-02-01T00:00:00Z"), usage("images", 3), null).total())
                .isEqualByComparingTo("0.12");
        assertThat(calc.of("GENERATION", "unknown-model", null, usage("input", 3), null)).isEqualTo(Cost.NONE);
        assertThat(calc.of("SPAN", "gpt-x", null, usage("input", 3), null)).isEqualTo(Cost.NONE);
        assertThat(calc.of("GENERATION", "gpt-x", null, null, null)).isEqualTo(Cost.NONE);
    }

    @Test
    void badTablesSayWhatIsWrong() {
        assertThatThrownBy(() -> table("{}")).hasMessageContaining("{\"prices\"");
        assertThatThrownBy(() -> table("{\"prices\":[{\"prices\":{\"input\":1}}]}")).hasMessageContaining("prices[0].model");
        assertThatThrownBy(() -> table("{\"prices\":[{\"model\":\"m\",\"valid_from\":\"yesterday\",\"prices\":{\"input\":1}}]}"))
                .hasMessageContaining("valid_from");
        assertThatThrownBy(() -> table("{\"prices\":[{\"model\":\"m\",\"prices\":{\"input\":-1}}]}")).hasMessageContaining("prices.input");
    }

    @Test
    void theBuiltInTableReads() throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("llm/prices.json")) {
            PriceTable t = PriceTable.read(in, new ObjectMapper());
            assertThat(t.find("gpt-4o-2024-08-06", Instant.parse("2025-01-01T00:00:00Z")).orElseThrow().perUnit().get("input"))
                    .isEqualByComparingTo("0.0000025");
            assertThat(t.find("gpt-4o", Instant.parse("2024-06-01T00:00:00Z")).orElseThrow().perUnit().get("input"))
                    .isEqualByComparingTo("0.000005");
            assertThat(t.find("gpt-4o-mini", Instant.parse("2025-01-01T00:00:00Z")).orElseThrow().model()).isEqualTo("gpt-4o-mini");
        }
    }
}
