package io.flywheel.monitor.llm;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Retention on the real PostgreSQL: old traces go with their observations and scores; young ones stay whole. */
@QuarkusTest
class RetentionTest {

    @Inject
    Pool db;

    private final String project = "retention-" + UUID.randomUUID();
    // a cutoff long before any other test's data: retention is for the whole table, and other tests share it
    private final Instant today = Instant.parse("2001-01-01T00:00:00Z");

    @Test
    void deletesWhatIsOlderThanTheCutoffInBatchesAndKeepsTheRest() {
        for (int i = 0; i < 5; i++) {
            trace("old-" + i, today.minus(Duration.ofDays(100 + i)));
            observation("old-" + i + "-gen", "old-" + i, today.minus(Duration.ofDays(100 + i)));
            score("old-" + i + "-score", "old-" + i, null, today.minus(Duration.ofDays(100 + i)));
        }
        trace("young", today.minus(Duration.ofDays(3)));
        observation("young-gen", "young", today.minus(Duration.ofDays(3)));
        score("young-score", "young", null, today.minus(Duration.ofDays(3)));
        // a young observation of an old trace goes with its trace; an old session score goes by its own time
        observation("late-gen", "old-0", today.minus(Duration.ofDays(1)));
        score("old-session-score", null, "session-1", today.minus(Duration.ofDays(200)));
        score("young-session-score", null, "session-1", today.minus(Duration.ofDays(1)));

        // batches of two: five old traces take three rounds
        Retention retention = new Retention(db, new SimpleMeterRegistry(), Duration.ofDays(90), 2);
        Retention.Purged purged = retention.purgeBefore(today.minus(Duration.ofDays(90))).await().indefinitely();

        assertThat(purged.traces()).isEqualTo(5);
        assertThat(purged.observations()).isEqualTo(6);
        assertThat(purged.scores()).isEqualTo(6);
        assertThat(ids("llm_trace")).containsExactly("young");
        assertThat(ids("llm_observation")).containsExactly("young-gen");
        assertThat(ids("llm_score")).containsExactlyInAnyOrder("young-score", "young-session-score");
    }

    @Test
    void refusesARetentionThatWouldDeleteEverything() {
        assertThatThrownBy(() -> new Retention(db, new SimpleMeterRegistry(), Duration.ZERO, 10))
                .hasMessageContaining("monitor.llm.retention must be positive");
    }

    private void trace(String id, Instant at) {
        run("INSERT INTO llm_trace (project, id, timestamp) VALUES ($1, $2, $3)", Tuple.of(project, id, utc(at)));
    }

    private void observation(String id, String traceId, Instant at) {
        run("INSERT INTO llm_observation (project, id, trace_id, type, start_time) VALUES ($1, $2, $3, 'GENERATION', $4)",
                Tuple.of(project, id, traceId, utc(at)));
    }

    private void score(String id, String traceId, String sessionId, Instant at) {
        run("""
                INSERT INTO llm_score (project, id, name, trace_id, session_id, value, data_type, source, timestamp, received_at)
                VALUES ($1, $2, 'quality', $3, $4, 1, 'NUMERIC', 'API', $5, $5)""",
                Tuple.from(Arrays.asList(project, id, traceId, sessionId, utc(at))));
    }

    private List<String> ids(String table) {
        List<String> ids = new ArrayList<>();
        for (Row r : db.preparedQuery("SELECT id FROM " + table + " WHERE project = $1 ORDER BY id").execute(Tuple.of(project))
                .await().indefinitely()) {
            ids.add(r.getString("id"));
        }
        return ids;
    }

    private void run(String sql, Tuple args) {
        db.preparedQuery(sql).execute(args).await().indefinitely();
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
