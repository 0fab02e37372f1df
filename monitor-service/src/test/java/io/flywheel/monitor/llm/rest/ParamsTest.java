package io.flywheel.monitor.llm.rest;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParamsTest {

    private final Params params = new Params(IllegalStateException::new);

    @Test
    void timesNumbersAndLimitsParseOrSayWhatIsWrong() {
        assertThat(params.instant("from", "2026-01-31T12:00:00+01:00")).isEqualTo(Instant.parse("2026-01-31T11:00:00Z"));
        assertThat(params.instant("from", "2026-01-31")).isEqualTo(Instant.parse("2026-01-31T00:00:00Z"));
        assertThat(params.instant("from", null)).isNull();
        assertThatThrownBy(() -> params.instant("from", "yesterday")).isInstanceOf(IllegalStateException.class).hasMessageContaining("from");
        // parseable, but beyond what PostgreSQL stores: a 400, not a 500
        assertThatThrownBy(() -> params.instant("to", "+999999999-12-31T23:59:59Z")).hasMessageContaining("years 1 and 9999");
        assertThatThrownBy(() -> params.number("min_cost", "NaN")).hasMessageContaining("min_cost");
        assertThatThrownBy(() -> params.number("min_cost", "1e400")).hasMessageContaining("min_cost");
        assertThat(params.integer("limit", null, 50, 1, 100)).isEqualTo(50);
        assertThatThrownBy(() -> params.integer("limit", "101", 50, 1, 100)).hasMessageContaining("[1, 100]");
        assertThatThrownBy(() -> params.integer("page", "x", 1, 1, 10)).hasMessageContaining("page");
        assertThatThrownBy(() -> params.range("from", Instant.parse("2026-02-01T00:00:00Z"), "to", Instant.parse("2026-01-01T00:00:00Z")))
                .hasMessageContaining("before");
    }

    @Test
    void listsAreRepeatedOrCommaSeparated() {
        assertThat(Params.list(List.of("a,b", "c", " "))).containsExactly("a", "b", "c");
        assertThat(Params.list(Arrays.asList((String) null))).isNull();
        assertThat(Params.list(null)).isNull();
    }
}
