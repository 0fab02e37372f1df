package io.flywheel.monitor.llm.merge;

import io.flywheel.events.ObservationUpserted;
import io.flywheel.events.TraceUpserted;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FieldsTest {

    private static final Instant T1 = Instant.parse("2026-01-01T00:00:01Z");
    private static final Instant T2 = Instant.parse("2026-01-01T00:00:02Z");
    private static final Instant T3 = Instant.parse("2026-01-01T00:00:03Z");

    private static TraceUpserted trace(String name, String userId, List<String> tags, Instant receivedAt) {
        return new TraceUpserted("p", "t1", null, name, userId, null, null, null, null, tags, null, null, null, null, receivedAt);
    }

    @Test
    void aFieldNotSentKeepsItsValue() {
        Fields created = Layouts.of(trace("chat", "u1", null, T1));
        Fields updated = created.merge(Layouts.of(trace(null, null, List.of("a"), T2)));
        assertThat(updated.value(1)).isEqualTo("chat");
        assertThat(updated.value(2)).isEqualTo("u1");
        assertThat(updated.value(7)).isEqualTo(List.of("a"));
    }

    @Test
    void theLaterReceivedValueWinsWhateverTheOrder() {
        Fields early = Layouts.of(trace("first", "u1", null, T1));
        Fields late = Layouts.of(trace("second", null, null, T2));
        Fields inOrder = early.merge(late);
        Fields reversed = late.merge(early);
        assertThat(inOrder).isEqualTo(reversed);
        assertThat(inOrder.value(1)).isEqualTo("second");
        assertThat(inOrder.value(2)).isEqualTo("u1"); // only the early message sent it
    }

    @Test
    void aTraceKeepsItsEarliestTimestampWhateverTheOrder() {
        // Langfuse's v3 SDK sends trace-create again on trace.update(), stamped with the time of the update
        Fields created = Layouts.of(new TraceUpserted("p", "t1", T1, "chat", null, null, null, null, null, null, null,
                null, null, null, T1));
        Fields updated = Layouts.of(new TraceUpserted("p", "t1", T3, "renamed", null, null, null, null, null, null, null,
                null, null, null, T2));
        Fields inOrder = created.merge(updated);
        assertThat(inOrder).isEqualTo(updated.merge(created));
        assertThat(inOrder.value(0)).isEqualTo(T1);
        assertThat(inOrder.value(1)).isEqualTo("renamed");
        assertThat(inOrder.merge(Layouts.of(trace(null, "u1", null, T3))).value(0)).as("not sent: kept").isEqualTo(T1);
    }

    @Test
    void mergingAMessageAgainChangesNothing() {
        Fields a = Layouts.of(trace("x", "u", List.of("t"), T1));
        Fields b = Layouts.of(trace("y", null, null, T2));
        Fields once = a.merge(b);
        assertThat(once.merge(b)).isEqualTo(once);
        assertThat(once.merge(a)).isEqualTo(once);
    }

    @Test
    void anyOrderOfManyMessagesGivesTheSameRow() {
        List<Fields> messages = new ArrayList<>();
        messages.add(Layouts.of(obs(null, "GENERATION", "gpt-4o", null, T1)));
        messages.add(Layouts.of(obs("tr", null, null, Map.of("input", 10L), T2)));
        messages.add(Layouts.of(obs(null, null, "gpt-4o-mini", Map.of("input", 12L, "output", 3L), T3)));
        Fields expected = fold(messages);
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(messages, random);
            assertThat(fold(messages)).isEqualTo(expected);
        }
        assertThat(expected.value(0)).isEqualTo("tr");
        assertThat(expected.value(1)).isEqualTo("GENERATION");
        assertThat(expected.value(7)).isEqualTo("gpt-4o-mini");
        assertThat(expected.value(16)).isEqualTo(Map.of("input", 12L, "output", 3L));
    }

    @Test
    void tagsAreUnitedAndSortedAndMetadataKeysMergedWhateverTheOrderAsLangfuseDoes() {
        Fields a = Layouts.of(new TraceUpserted("p", "t1", null, null, null, null, null, null, null, List.of("prod", "beta"), null,
                null, null, Map.of("k", "first", "a", 1), T1));
        Fields b = Layouts.of(new TraceUpserted("p", "t1", null, null, null, null, null, null, null, List.of("old", "beta"), null,
                null, null, Map.of("k", "second", "b", 2), T2));
        Fields ab = a.merge(b);
        assertThat(ab).isEqualTo(b.merge(a));
        assertThat(ab.value(7)).isEqualTo(List.of("beta", "old", "prod"));
        assertThat(ab.value(11)).isEqualTo(Map.of("k", "second", "a", 1, "b", 2));
        assertThat(ab.merge(a)).isEqualTo(ab);
        assertThat(ab.merge(b)).isEqualTo(ab);
        Fields nothingSent = ab.merge(Layouts.of(trace("renamed", null, null, T3)));
        assertThat(nothingSent.value(7)).isEqualTo(ab.value(7));
        assertThat(nothingSent.value(11)).isEqualTo(ab.value(11));
        assertThat(a.value(7)).as("one message's tags, sorted").isEqualTo(List.of("beta", "prod"));
    }

    @Test
    void upsertSqlUnitesTagsAndMergesMetadata() {
        String sql = UpsertSql.of("llm_trace", Layouts.KEY, Layouts.TRACE, null);
        assertThat(sql).contains("ARRAY(SELECT DISTINCT e FROM unnest(t.\"tags\" || EXCLUDED.\"tags\")")
                .contains("THEN t.\"metadata\" || EXCLUDED.\"metadata\" ELSE EXCLUDED.\"metadata\" || t.\"metadata\" END")
                .contains("\"timestamp\" = LEAST(t.\"timestamp\", EXCLUDED.\"timestamp\")");
    }

    @Test
    void takesMirrorsTheSqlRule() {
        assertThat(Fields.takes(0, 0)).isFalse();      // not sent
        assertThat(Fields.takes(5, 0)).isFalse();
        assertThat(Fields.takes(0, 5)).isTrue();       // nothing stored
        assertThat(Fields.takes(5, 5)).isTrue();       // a tie: the one merged last
        assertThat(Fields.takes(6, 5)).isFalse();      // older
    }

    @Test
    void upsertSqlMergesEachColumnByItsTime() {
        String sql = UpsertSql.of("llm_trace", Layouts.KEY, Layouts.TRACE, null);
        assertThat(sql).contains("jsonb_to_recordset($1::text::jsonb)")
                .contains("\"name\" = CASE WHEN EXCLUDED.field_times[2] >= COALESCE(t.field_times[2], 0) THEN EXCLUDED.\"name\" ELSE t.\"name\" END")
                .contains("GREATEST(t.field_times[12], EXCLUDED.field_times[12])")
                .contains("ON CONFLICT (\"project\", \"id\")");
    }

    private static Fields fold(List<Fields> messages) {
        Fields row = null;
        for (Fields f : messages) {
            row = row == null ? f : row.merge(f);
        }
        return row;
    }

    private static ObservationUpserted obs(String traceId, String type, String model, Map<String, Long> usage, Instant at) {
        return new ObservationUpserted("p", "o1", traceId, type, null, null, null, null, null, model, null, null, null, null, null,
                null, null, null, usage, null, null, null, at);
    }
}
