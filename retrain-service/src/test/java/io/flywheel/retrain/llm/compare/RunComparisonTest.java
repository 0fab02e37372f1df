package io.flywheel.retrain.llm.compare;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

class RunComparisonTest {

    private static RunComparison.Score bool(boolean pass) {
        return new RunComparison.Score("BOOLEAN", pass ? 1 : 0, null);
    }

    private static RunComparison.Score num(double v) {
        return new RunComparison.Score("NUMERIC", v, null);
    }

    private static final List<RunComparison.Item> ITEMS = List.of(
            new RunComparison.Item("q1", Map.of("q", "capital of France"), "Paris"),
            new RunComparison.Item("q2", Map.of("q", "capital of Italy"), "Rome"),
            new RunComparison.Item("q3", Map.of("q", "never run"), "x"));

    private static final RunComparison.Run A = new RunComparison.Run("a", Map.of(
            "q1", new RunComparison.Outcome("Paris", Map.of("exact", bool(true), "sim", num(1.0)), 100L, 10L, null),
            "q2", new RunComparison.Outcome("Milan", Map.of("exact", bool(false), "sim", num(0.4)), 300L, 14L, null)));
    private static final RunComparison.Run B = new RunComparison.Run("b", Map.of(
            "q1", new RunComparison.Outcome("Paris", Map.of("exact", bool(true), "sim", num(1.0)), 50L, 8L, null),
            "q2", new RunComparison.Outcome("Rome", Map.of("exact", bool(true), "sim", num(1.0)), 70L, 9L, null)));

    @Test
    void itemsSideBySideWithDeltasAndDiffs() {
        RunComparison.Result r = RunComparison.compare(ITEMS, List.of(A, B));
        assertThat(r.runs()).containsExactly("a", "b");
        // only items some run touched, in the dataset's order
        assertThat(r.items()).extracting(RunComparison.ItemComparison::itemId).containsExactly("q1", "q2");

        RunComparison.ItemComparison q1 = r.items().get(0);
        assertThat(q1.outputsDiffer()).isFalse();
        assertThat(q1.scoreDeltas().get("b")).containsEntry("exact", 0.0).containsEntry("sim", 0.0);
        assertThat(q1.expectedOutput()).isEqualTo("Paris");

        RunComparison.ItemComparison q2 = r.items().get(1);
        assertThat(q2.outputsDiffer()).isTrue();
        assertThat(q2.runs()).extracting(RunComparison.Side::output).containsExactly("Milan", "Rome");
        assertThat(q2.scoreDeltas().get("b").get("exact")).isEqualTo(1.0);
        assertThat(q2.scoreDeltas().get("b").get("sim")).isCloseTo(0.6, offset(1e-12));
        assertThat(q2.diffs().getFirst().against()).isEqualTo("a");
        assertThat(q2.diffs().getFirst().words()).containsExactly(new TextDiff.Op("delete", "Milan"), new TextDiff.Op("insert", "Rome"));
    }

    @Test
    void perRunAggregates() {
        RunComparison.Result r = RunComparison.compare(ITEMS, List.of(A, B));
        RunComparison.Summary a = r.summaries().get(0);
        assertThat(a.items()).isEqualTo(2);
        assertThat(a.meanScores()).containsEntry("exact", 0.5).containsEntry("sim", 0.7);
        assertThat(a.passRate()).isEqualTo(0.5);
        assertThat(a.totalTokens()).isEqualTo(24);
        assertThat(a.meanLatencyMs()).isEqualTo(200.0);
        assertThat(a.meanScoreDeltas()).isEmpty();
        RunComparison.Summary b = r.summaries().get(1);
        assertThat(b.passRate()).isEqualTo(1.0);
        assertThat(b.meanScoreDeltas().get("exact")).isEqualTo(0.5);
        assertThat(b.meanScoreDeltas().get("sim")).isCloseTo(0.3, offset(1e-12));
    }

    @Test
    void failuresAndMissingOutcomesAreShownNotScored() {
        RunComparison.Run c = new RunComparison.Run("c", Map.of(
                "q1", new RunComparison.Outcome(null, Map.of(), null, null, "the chat endpoint failed (400)")));
        RunComparison.Result r = RunComparison.compare(ITEMS, List.of(A, c));
        RunComparison.Summary s = r.summaries().get(1);
        assertThat(s.items()).isEqualTo(1);
        assertThat(s.failed()).isEqualTo(1);
        assertThat(s.passRate()).isNull();
        assertThat(s.meanScores()).isEmpty();
        RunComparison.ItemComparison q2 = r.items().get(1);
        assertThat(q2.runs().get(1).error()).isEqualTo("no outcome in this run");
        assertThat(q2.outputsDiffer()).isTrue();
        assertThat(q2.scoreDeltas().get("c")).isEmpty();
    }

    @Test
    void anItemDeletedSinceStillCompares() {
        RunComparison.Run x = new RunComparison.Run("x", Map.of("gone", new RunComparison.Outcome("o", Map.of(), 1L, 1L, null)));
        RunComparison.Run y = new RunComparison.Run("y", Map.of("gone", new RunComparison.Outcome("o", Map.of(), 1L, 1L, null)));
        RunComparison.Result r = RunComparison.compare(ITEMS, List.of(x, y));
        assertThat(r.items()).singleElement().satisfies(i -> {
            assertThat(i.itemId()).isEqualTo("gone");
            assertThat(i.input()).isNull();
            assertThat(i.outputsDiffer()).isFalse();
        });
    }

    @Test
    void oneRunIsNoComparison() {
        assertThatThrownBy(() -> RunComparison.compare(ITEMS, List.of(A))).isInstanceOf(IllegalArgumentException.class);
    }
}
