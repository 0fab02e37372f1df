package io.flywheel.retrain.llm.compare;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class TextDiffTest {

    private static String side(List<TextDiff.Op> ops, String skip) {
        return ops.stream().filter(o -> !o.op().equals(skip)).map(TextDiff.Op::text).collect(Collectors.joining());
    }

    @Test
    void wordsRebuildBothSidesAndShowTheChange() {
        List<TextDiff.Op> ops = TextDiff.words("The capital is Paris.", "The capital is Lyon.");
        assertThat(ops).containsExactly(new TextDiff.Op("equal", "The capital is "), new TextDiff.Op("delete", "Paris."),
                new TextDiff.Op("insert", "Lyon."));
        assertThat(side(ops, "insert")).isEqualTo("The capital is Paris.");
        assertThat(side(ops, "delete")).isEqualTo("The capital is Lyon.");
    }

    @Test
    void linesDiffByLine() {
        List<TextDiff.Op> ops = TextDiff.lines("a\nb\nc", "a\nB\nc\nd");
        assertThat(ops).containsExactly(new TextDiff.Op("equal", "a"), new TextDiff.Op("delete", "b"), new TextDiff.Op("insert", "B"),
                new TextDiff.Op("equal", "c"), new TextDiff.Op("insert", "d"));
    }

    @Test
    void identicalAndEmptyTexts() {
        assertThat(TextDiff.lines("same", "same")).containsExactly(new TextDiff.Op("equal", "same"));
        assertThat(TextDiff.words("", "")).isEmpty();
        assertThat(TextDiff.words("", "new text")).containsExactly(new TextDiff.Op("insert", "new text"));
    }
}
