package io.flywheel.gateway.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A score's series over time (the monitor's {@code /api/v1/llm/scores/series}: one series per prompt version or
 * model, points of a count and a mean, or of counts per category) as a Chart.js line chart for the dashboard's
 * {@code canvas[data-chart]}: the same labels-and-datasets shape as the drift chart. Numeric scores: one line per
 * group, its mean per interval. Categorical scores: one line per group and category, its count per interval.
 * An interval without a point is a gap.
 */
public final class ScoreSeriesChart {

    private ScoreSeriesChart() {
    }

    /** The chart as JSON, or null when the series hold no point to draw. */
    public static String chart(ObjectMapper json, JsonNode body) {
        JsonNode series = body == null ? null : body.path("series");
        if (series == null || !series.isArray()) {
            return null;
        }
        TreeSet<String> starts = new TreeSet<>(); // ISO instants of one format sort as text
        for (JsonNode s : series) {
            for (JsonNode p : s.path("points")) {
                starts.add(p.path("start").asText());
            }
        }
        if (starts.isEmpty()) {
            return null;
        }
        List<String> labels = new ArrayList<>(starts);
        Map<String, Double[]> lines = new LinkedHashMap<>();
        for (JsonNode s : series) {
            String group = s.path("group").asText("");
            for (JsonNode p : s.path("points")) {
                int at = labels.indexOf(p.path("start").asText());
                if (p.path("mean").isNumber()) {
                    lines.computeIfAbsent(group, g -> new Double[labels.size()])[at] = p.path("mean").asDouble();
                } else if (p.path("categories").isObject()) {
                    p.path("categories").properties().forEach(c -> lines.computeIfAbsent(group + ": " + c.getKey(),
                            g -> new Double[labels.size()])[at] = c.getValue().asDouble());
                }
            }
        }
        if (lines.isEmpty()) {
            return null;
        }
        ObjectNode chart = json.createObjectNode();
        ArrayNode labelNodes = chart.putArray("labels");
        labels.forEach(labelNodes::add);
        ArrayNode sets = chart.putArray("datasets");
        lines.forEach((name, values) -> {
            String colour = ModelView.PALETTE.get(sets.size() % ModelView.PALETTE.size());
            ArrayNode data = json.createArrayNode();
            for (Double v : values) {
                if (v == null) {
                    data.addNull();
                } else {
                    data.add(v);
                }
            }
            sets.addObject().put("label", name).put("borderColor", colour).put("backgroundColor", colour).put("spanGaps", false)
                    .set("data", data);
        });
        return chart.toString();
    }
}
