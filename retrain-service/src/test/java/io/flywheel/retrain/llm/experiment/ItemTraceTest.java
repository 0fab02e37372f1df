package io.flywheel.retrain.llm.experiment;

import io.flywheel.events.ScoreUpserted;
import io.flywheel.llm.eval.EvalScore;
import io.flywheel.llm.eval.ScoreType;
import io.flywheel.llm.eval.chat.ChatMessage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ItemTraceTest {

    private static final Instant START = Instant.parse("2026-12-07T10:00:00Z");
    private static final Instant END = START.plusMillis(250);

    private static ItemTrace.Run run(String output, String error) {
        return new ItemTrace.Run("p1", "t".repeat(32), "o".repeat(16), "run-1", "v1", "ds-1", "qa", "item-1", Map.of("q", "2+2"), "4",
                "team/qa", 3, "gpt-x", Map.of("temperature", 0), List.of(ChatMessage.user("2+2")), output, error, 7, 1, 8, START, END);
    }

    @Test
    void aTraceAGenerationAndAScorePerEvaluator() {
        ItemTrace t = ItemTrace.of(run("4", null), List.of(EvalScore.bool("exact", true, "equal"),
                EvalScore.numeric("similarity", 0.75, null), new EvalScore("tone", ScoreType.CATEGORICAL, 0, "neutral", null)));
        assertThat(t.trace().key()).isEqualTo("p1/" + "t".repeat(32));
        assertThat(t.trace().metadata()).containsEntry("experiment_id", "run-1").containsEntry("dataset_item_id", "item-1")
                .containsEntry("prompt_name", "team/qa").containsEntry("prompt_version", 3).containsEntry("expected_output", "4");
        assertThat(t.trace().environment()).isEqualTo("experiment");
        assertThat(t.generation().type()).isEqualTo("GENERATION");
        assertThat(t.generation().usageDetails()).containsEntry("input", 7L).containsEntry("output", 1L).containsEntry("total", 8L);
        assertThat(t.generation().promptName()).isEqualTo("team/qa");
        assertThat(t.generation().promptVersion()).isEqualTo(3);
        assertThat(t.generation().level()).isEqualTo("DEFAULT");
        assertThat(t.scores()).extracting(ScoreUpserted::dataType).containsExactly("BOOLEAN", "NUMERIC", "CATEGORICAL");
        ScoreUpserted bool = t.scores().get(0);
        assertThat(bool.value()).isEqualTo(1.0);
        assertThat(bool.stringValue()).isEqualTo("True");
        assertThat(bool.id()).isEqualTo("run-1:item-1:exact");
        assertThat(bool.key()).isEqualTo(t.trace().key());
        assertThat(t.scores().get(2).value()).isNull();
        assertThat(t.scores().get(2).stringValue()).isEqualTo("neutral");
    }

    @Test
    void aFailedItemIsAnErrorGenerationWithoutUsage() {
        ItemTrace t = ItemTrace.of(run(null, "the chat endpoint failed (400)"), List.of());
        assertThat(t.generation().level()).isEqualTo("ERROR");
        assertThat(t.generation().statusMessage()).contains("400");
        assertThat(t.generation().usageDetails()).isNull();
        assertThat(t.scores()).isEmpty();
    }

    @Test
    void aRunScoreTargetsTheRun() {
        ScoreUpserted s = ItemTrace.runScore("p1", "run-1", "exact_mean", 0.5, "mean of 2 item(s)", END);
        assertThat(s.datasetRunId()).isEqualTo("run-1");
        assertThat(s.traceId()).isNull();
        assertThat(s.key()).isEqualTo("p1/run:run-1");
    }
}
