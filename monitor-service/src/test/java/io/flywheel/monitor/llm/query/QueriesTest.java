package io.flywheel.monitor.llm.query;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueriesTest {

    @Test
    void filtersBecomeNumberedConditionsAndTheCursorComesLast() {
        Filters.Traces f = new Filters.Traces("p1", Instant.parse("2026-01-01T00:00:00Z"), null, "chat", null, null,
                List.of("a", "b"), null, null, null, "gpt-4o", 0.5, null, null, 2000.0);
        Paging.Position after = new Paging.Position(Instant.parse("2026-01-02T00:00:00.123456Z"), "t9");
        Statement s = Queries.traces(f, new Paging.Cursor(10, after), null);
        assertThat(s.sql()).contains("t.project = $1", "t.ts >= $2", "t.name = $3", "t.tags @> $4::text[]",
                "t.models @> ARRAY[$5::text]", "t.total_cost >= $6", "t.latency_ms <= $7", "(t.ts, t.id) < ($8::timestamptz, $9)",
                "ORDER BY t.ts DESC, t.id DESC LIMIT 11");
        assertThat(s.params()).hasSize(9);
        assertThat(s.params().get(8)).isEqualTo("t9");
    }

    @Test
    void cursorsRoundTripAndForeignOnesAreRefused() {
        Paging.Position p = new Paging.Position(Instant.parse("2026-01-02T00:00:00.123456Z"), "id|with|bars");
        assertThat(Paging.Position.decode(p.encode())).isEqualTo(p);
        assertThatThrownBy(() -> Paging.Position.decode("not-a-cursor")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pagesAndOrder() {
        Statement s = Queries.traces(new Filters.Traces(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null), new Paging.Page(3, 20), Queries.traceOrder("latency.asc"));
        assertThat(s.sql()).endsWith("ORDER BY t.latency_ms ASC NULLS LAST, t.id DESC LIMIT 20 OFFSET 40").doesNotContain("WHERE");
        assertThatThrownBy(() -> Queries.traceOrder("password.desc")).hasMessageContaining("orderBy");
        Statement sessions = Queries.sessions(new Filters.Sessions("p", null, null, null), new Paging.Cursor(5,
                new Paging.Position(Instant.EPOCH, "s")));
        assertThat(sessions.sql()).contains("t.project = $1", "(g.created_at, g.id) < ($2::timestamptz, $3)");
        assertThat(sessions.params()).hasSize(3);
    }
}
