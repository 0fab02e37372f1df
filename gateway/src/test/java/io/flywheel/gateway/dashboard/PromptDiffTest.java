package io.flywheel.gateway.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PromptDiffTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aChangedLineIsTakenOutAndPutInWithEachSidesLineNumbers() {
        PromptDiff.Diff diff = PromptDiff.lines("You are helpful.\nAnswer: {{question}}\nBe kind.",
                "You are helpful.\nAnswer with only the answer: {{question}}\nBe kind.\nThanks.");
        assertThat(diff.lines()).extracting(PromptDiff.Line::op).containsExactly("equal", "delete", "insert", "equal", "insert");
        assertThat(diff.lines()).extracting(PromptDiff.Line::text).containsExactly("You are helpful.", "Answer: {{question}}",
                "Answer with only the answer: {{question}}", "Be kind.", "Thanks.");
        assertThat(diff.lines()).extracting(PromptDiff.Line::oldNumber).containsExactly(1, 2, null, 3, null);
        assertThat(diff.lines()).extracting(PromptDiff.Line::newNumber).containsExactly(1, null, 2, 3, 4);
        assertThat(diff.lines()).extracting(PromptDiff.Line::mark).containsExactly(" ", "−", "+", " ", "+");
        assertThat(diff.removed()).isEqualTo(1);
        assertThat(diff.added()).isEqualTo(2);
        assertThat(diff.same()).isFalse();
    }

    @Test
    void theSameTextIsNoChangeAndAnEmptySideIsAllInsertsOrDeletes() {
        assertThat(PromptDiff.lines("a\nb", "a\nb").same()).isTrue();
        assertThat(PromptDiff.lines("", "a\nb").lines()).extracting(PromptDiff.Line::op).containsExactly("insert", "insert");
        assertThat(PromptDiff.lines("a", "").lines()).extracting(PromptDiff.Line::op).containsExactly("delete");
        assertThat(PromptDiff.lines(null, null).lines()).isEmpty();
    }

    @Test
    void aChatPromptReadsAsItsMessagesAndPlaceholders() throws Exception {
        String text = PromptDiff.templateText(json.readTree("""
                [{"role": "system", "content": "You answer {{topic}} questions."},
                 {"type": "placeholder", "name": "history"},
                 {"role": "user", "content": "{{question}}"}]"""));
        assertThat(text).isEqualTo("[system]\nYou answer {{topic}} questions.\n[placeholder: history]\n[user]\n{{question}}");
        assertThat(PromptDiff.templateText(json.readTree("\"plain {{x}}\""))).isEqualTo("plain {{x}}");
        assertThat(PromptDiff.templateText(null)).isEmpty();
    }

    @Test
    void configsAreComparedWithTheirKeysSortedSoOnlyValuesShow() throws Exception {
        String older = PromptDiff.configText(json.readTree("{\"temperature\": 0.2, \"model\": \"gpt-4o\", \"stop\": [\"x\"]}"));
        String newer = PromptDiff.configText(json.readTree("{\"model\": \"gpt-4o\", \"stop\": [\"x\"], \"temperature\": 0.7}"));
        assertThat(older.indexOf("model")).isLessThan(older.indexOf("temperature"));
        PromptDiff.Diff diff = PromptDiff.lines(older, newer);
        assertThat(diff.removed()).isEqualTo(1);
        assertThat(diff.added()).isEqualTo(1);
        assertThat(diff.lines()).filteredOn(l -> !l.op().equals("equal")).extracting(PromptDiff.Line::text)
                .containsExactly("  \"temperature\" : 0.2", "  \"temperature\" : 0.7");
        assertThat(PromptDiff.configText(null)).isEqualTo("{}");
    }
}
