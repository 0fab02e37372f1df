package io.flywheel.gateway.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.DeltaType;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Two prompt versions side by side as a line diff (java-diff-utils' Myers diff): the template as the text a person
 * reads (a chat prompt one message after another), the config as JSON with its keys sorted, so that only a change
 * of a value shows, not a change of order. Pure: unit-tested without Quarkus.
 */
public final class PromptDiff {

    public static final String EQUAL = "equal";
    public static final String DELETE = "delete";
    public static final String INSERT = "insert";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One line of the diff: in both ({@code equal}), only in the older ({@code delete}) or only in the newer ({@code insert}). */
    public record Line(String op, Integer oldNumber, Integer newNumber, String text) {
        public String mark() {
            return switch (op) {
                case DELETE -> "−";
                case INSERT -> "+";
                default -> " ";
            };
        }
    }

    /** A diff's lines, and how many were taken out and put in. */
    public record Diff(List<Line> lines, int removed, int added) {
        public boolean same() {
            return removed == 0 && added == 0;
        }
    }

    private PromptDiff() {
    }

    public static Diff lines(String older, String newer) {
        List<String> a = split(older);
        List<String> b = split(newer);
        List<Line> out = new ArrayList<>();
        int removed = 0;
        int added = 0;
        for (AbstractDelta<String> d : DiffUtils.diff(a, b, true).getDeltas()) {
            int oldAt = d.getSource().getPosition() + 1;
            int newAt = d.getTarget().getPosition() + 1;
            if (d.getType() == DeltaType.EQUAL) {
                List<String> same = d.getSource().getLines();
                for (int i = 0; i < same.size(); i++) {
                    out.add(new Line(EQUAL, oldAt + i, newAt + i, same.get(i)));
                }
                continue;
            }
            List<String> gone = d.getSource().getLines();
            for (int i = 0; i < gone.size(); i++) {
                out.add(new Line(DELETE, oldAt + i, null, gone.get(i)));
            }
            List<String> come = d.getTarget().getLines();
            for (int i = 0; i < come.size(); i++) {
                out.add(new Line(INSERT, null, newAt + i, come.get(i)));
            }
            removed += gone.size();
            added += come.size();
        }
        return new Diff(out, removed, added);
    }

    /**
     * A version's template as text: a text prompt as it is; a chat prompt as its messages, each under a
     * {@code [role]} line, and its placeholders as {@code [placeholder: name]}.
     */
    public static String templateText(JsonNode prompt) {
        if (prompt == null || prompt.isNull() || prompt.isMissingNode()) {
            return "";
        }
        if (prompt.isTextual()) {
            return prompt.asText();
        }
        if (!prompt.isArray()) {
            return prompt.toString();
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode m : prompt) {
            if ("placeholder".equals(m.path("type").asText()) && !m.has("role")) {
                parts.add("[placeholder: " + m.path("name").asText() + "]");
            } else {
                parts.add("[" + m.path("role").asText() + "]\n" + (m.path("content").isTextual() ? m.path("content").asText()
                        : m.path("content").toString()));
            }
        }
        return String.join("\n", parts);
    }

    /** A config as indented JSON with every object's keys in order; no config reads as {@code {}}. */
    public static String configText(JsonNode config) {
        if (config == null || config.isNull() || config.isMissingNode()) {
            return "{}";
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(sorted(config));
        } catch (Exception e) {
            return config.toString();
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            node.properties().forEach(f -> fields.put(f.getKey(), sorted(f.getValue())));
            ObjectNode out = JSON.createObjectNode();
            fields.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            var out = JSON.createArrayNode();
            node.forEach(e -> out.add(sorted(e)));
            return out;
        }
        return node;
    }

    private static List<String> split(String text) {
        return text == null || text.isEmpty() ? List.of() : List.of(text.split("\n", -1));
    }
}
