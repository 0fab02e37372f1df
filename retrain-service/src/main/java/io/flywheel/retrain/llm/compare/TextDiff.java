package io.flywheel.retrain.llm.compare;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.DeltaType;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A diff of two texts as a list of operations that rebuild both ({@code equal} in both, {@code delete}
 * from the first, {@code insert} into the second), by lines or by words (java-diff-utils' Myers diff).
 * Word diffs keep the whitespace as tokens of its own, so joining a side's tokens gives its text back;
 * neighbouring operations of one kind are merged. Plain Java.
 */
public final class TextDiff {

    private static final Pattern WORDS = Pattern.compile("\\s+|[^\\s]+");

    public static final String EQUAL = "equal";
    public static final String DELETE = "delete";
    public static final String INSERT = "insert";

    /** One operation: {@code equal}, {@code delete} or {@code insert}, and the text it covers (for lines, the lines joined with \n). */
    public record Op(String op, String text) {
    }

    private TextDiff() {
    }

    public static List<Op> lines(String a, String b) {
        return diff(a.isEmpty() ? List.of() : List.of(a.split("\n", -1)), b.isEmpty() ? List.of() : List.of(b.split("\n", -1)), "\n");
    }

    public static List<Op> words(String a, String b) {
        return diff(tokens(a), tokens(b), "");
    }

    static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        Matcher m = WORDS.matcher(s);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static List<Op> diff(List<String> a, List<String> b, String joiner) {
        List<Op> out = new ArrayList<>();
        for (AbstractDelta<String> d : DiffUtils.diff(a, b, true).getDeltas()) {
            if (d.getType() == DeltaType.EQUAL) {
                add(out, EQUAL, d.getSource().getLines(), joiner);
            } else {
                add(out, DELETE, d.getSource().getLines(), joiner);
                add(out, INSERT, d.getTarget().getLines(), joiner);
            }
        }
        return out;
    }

    private static void add(List<Op> out, String kind, List<String> parts, String joiner) {
        if (parts.isEmpty()) {
            return;
        }
        String text = String.join(joiner, parts);
        if (!out.isEmpty() && out.getLast().op().equals(kind)) {
            out.set(out.size() - 1, new Op(kind, out.getLast().text() + joiner + text));
        } else {
            out.add(new Op(kind, text));
        }
    }
}
