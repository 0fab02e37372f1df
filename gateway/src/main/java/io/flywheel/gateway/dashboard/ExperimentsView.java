package io.flywheel.gateway.dashboard;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * retrain's LLM evaluation answers (datasets, runs and experiments, a run's items, a comparison of runs) as rows the
 * dashboard's templates show: plain text and numbers, a run's aggregates computed from its items, each output's word
 * diff against the baseline's as retrain computed it. Pure: unit-tested on fixed answers.
 */
public final class ExperimentsView {

    private static final MathContext FOUR_DIGITS = new MathContext(4);
    private static final Set<String> DIFF_OPS = Set.of("equal", "delete", "insert");

    private ExperimentsView() {
    }

    public record DatasetRow(String name, String link, String description, String createdAt, String updatedAt) {
    }

    /** A figure with its change against the baseline: {@code trend} is up, down or empty (no delta, or none to speak of). */
    public record Figure(String name, String value, String delta, String trend) {
    }

    /** A run's figures over its items: failed items, each score's mean over the items that were scored, tokens, mean latency. */
    public record Aggregate(int items, int failed, List<Figure> means, String tokens, String latency) {
        static final Aggregate NONE = new Aggregate(0, 0, List.of(), "", "");
    }

    /** A run of a dataset (an experiment, or a run an SDK made: then status and progress are empty). */
    public record RunRow(String id, String name, String dataset, String datasetLink, String status, String progress, String prompt,
                         String promptLink, String model, String createdBy, String createdAt, String finishedAt, String error,
                         String link, Aggregate aggregate) {
        public String statusClass() {
            return status.isEmpty() ? "" : "status-" + status.replaceAll("[^a-z]", "");
        }
    }

    /** One item of one run: its output, scores, latency, tokens, or the error that stopped it. */
    public record RunItemRow(String itemId, String output, List<Figure> scores, String latency, String tokens, String error,
                             String traceLink) {
    }

    /** A piece of an output's word diff against the baseline: {@code op} is equal, delete or insert. */
    public record DiffPart(String op, String text) {
    }

    /** One run's side of an item; the baseline's {@code diff} is empty (its output is what the others are read against). */
    public record Cell(String run, boolean baseline, String output, List<DiffPart> diff, boolean differs, List<Figure> scores,
                       String latency, String tokens, String error) {
    }

    public record ItemRow(String id, String input, String expected, boolean outputsDiffer, List<Cell> cells) {
    }

    public record SummaryRow(String run, boolean baseline, int items, int failed, List<Figure> means, String passRate, String tokens,
                             String latency) {
    }

    public record Comparison(List<String> runs, List<SummaryRow> summaries, List<ItemRow> items) {
    }

    public static List<DatasetRow> datasets(String project, JsonNode items) {
        List<DatasetRow> rows = new ArrayList<>();
        for (JsonNode d : array(items)) {
            String name = text(d, "name");
            rows.add(new DatasetRow(name, runsLink(project, name), text(d, "description"), text(d, "created_at"), text(d, "updated_at")));
        }
        return rows;
    }

    /** Runs as retrain lists them; {@code aggregates} by run name (those not read have none). */
    public static List<RunRow> runs(String project, JsonNode items, Map<String, Aggregate> aggregates) {
        List<RunRow> rows = new ArrayList<>();
        for (JsonNode r : array(items)) {
            rows.add(run(project, r, aggregates.getOrDefault(text(r, "name"), Aggregate.NONE)));
        }
        return rows;
    }

    public static RunRow run(String project, JsonNode r, Aggregate aggregate) {
        JsonNode progress = r.path("progress");
        String done = "";
        if (progress.isObject()) {
            done = progress.path("done").asInt() + " / " + (progress.path("total").isNumber() ? progress.path("total").asText() : "?")
                    + (progress.path("failed").asInt() > 0 ? " (" + progress.path("failed").asInt() + " failed)" : "");
        }
        JsonNode prompt = r.path("prompt");
        String promptName = text(prompt, "name");
        String promptText = promptName.isEmpty() ? (prompt.isObject() ? "inline " + text(prompt, "type") : "")
                : promptName + " v" + prompt.path("version").asText() + (prompt.hasNonNull("label") ? " (" + text(prompt, "label") + ")" : "");
        String dataset = text(r, "dataset");
        return new RunRow(text(r, "id"), text(r, "name"), dataset, dataset.isEmpty() ? null : runsLink(project, dataset), text(r, "status"),
                done, promptText, promptName.isEmpty() ? null : PromptsView.versionLink(project, promptName, prompt.path("version").asInt()),
                text(r, "model"), text(r, "created_by"), text(r, "created_at"), text(r, "finished_at"), text(r, "error"),
                PromptsView.experimentLink(project, text(r, "id")), aggregate);
    }

    /**
     * A run's aggregates from its items ({@code [{output, scores: [{name, type, value}], latency_ms, total_tokens, error}]}):
     * items that failed are counted and left out of the means; a categorical score has no mean.
     */
    public static Aggregate aggregate(JsonNode items) {
        int count = 0;
        int failed = 0;
        long tokens = 0;
        boolean anyTokens = false;
        double latency = 0;
        int latencies = 0;
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (JsonNode i : array(items)) {
            count++;
            if (i.hasNonNull("error")) {
                failed++;
                continue;
            }
            if (i.path("total_tokens").isNumber()) {
                tokens += i.path("total_tokens").asLong();
                anyTokens = true;
            }
            if (i.path("latency_ms").isNumber()) {
                latency += i.path("latency_ms").asDouble();
                latencies++;
            }
            for (JsonNode s : array(i.path("scores"))) {
                if (s.path("value").isNumber() && !"CATEGORICAL".equals(s.path("type").asText())) {
                    double[] sum = sums.computeIfAbsent(s.path("name").asText(), k -> new double[2]);
                    sum[0] += s.path("value").asDouble();
                    sum[1]++;
                }
            }
        }
        List<Figure> means = new ArrayList<>();
        sums.forEach((name, sum) -> means.add(new Figure(name, round(sum[0] / sum[1]), "", "")));
        return new Aggregate(count, failed, means, anyTokens ? String.valueOf(tokens) : "",
                latencies == 0 ? "" : LlmView.ms(latency / latencies));
    }

    public static List<RunItemRow> runItems(String project, JsonNode items) {
        List<RunItemRow> rows = new ArrayList<>();
        for (JsonNode i : array(items)) {
            String trace = text(i, "trace_id");
            rows.add(new RunItemRow(text(i, "dataset_item_id"), shortJson(i.path("output")), scores(i.path("scores"), null),
                    i.path("latency_ms").isNumber() ? LlmView.ms(i.path("latency_ms").asDouble()) : "", count(i.path("total_tokens")),
                    text(i, "error"), trace.isEmpty() ? null : LlmView.traceLink(project, trace)));
        }
        return rows;
    }

    /** retrain's comparison: the runs' summaries (the first run is the baseline) and every item side by side. */
    public static Comparison comparison(JsonNode answer) {
        List<String> runs = new ArrayList<>();
        array(answer.path("runs")).forEach(r -> runs.add(r.asText()));
        String baseline = runs.isEmpty() ? "" : runs.getFirst();
        List<SummaryRow> summaries = new ArrayList<>();
        for (JsonNode s : array(answer.path("summaries"))) {
            List<Figure> means = new ArrayList<>();
            s.path("mean_scores").properties().forEach(e -> {
                JsonNode delta = s.path("mean_score_deltas").path(e.getKey());
                means.add(new Figure(e.getKey(), number(e.getValue()), signed(delta), trend(delta)));
            });
            summaries.add(new SummaryRow(text(s, "run"), text(s, "run").equals(baseline), s.path("items").asInt(), s.path("failed").asInt(),
                    means, s.path("pass_rate").isNumber() ? round(100 * s.path("pass_rate").asDouble()) + "%" : "",
                    count(s.path("total_tokens")), s.path("mean_latency_ms").isNumber() ? LlmView.ms(s.path("mean_latency_ms").asDouble()) : ""));
        }
        List<ItemRow> items = new ArrayList<>();
        for (JsonNode item : array(answer.path("items"))) {
            Map<String, JsonNode> diffs = new LinkedHashMap<>();
            array(item.path("diffs")).forEach(d -> diffs.put(text(d, "run"), d));
            List<Cell> cells = new ArrayList<>();
            for (JsonNode side : array(item.path("runs"))) {
                String run = text(side, "run");
                JsonNode diff = diffs.get(run);
                List<DiffPart> parts = new ArrayList<>();
                if (diff != null) {
                    for (JsonNode op : array(diff.path("words"))) {
                        String kind = op.path("op").asText();
                        parts.add(new DiffPart(DIFF_OPS.contains(kind) ? kind : "equal", op.path("text").asText()));
                    }
                }
                cells.add(new Cell(run, run.equals(baseline), text(side, "output"), parts, diff != null && diff.path("differs").asBoolean(),
                        scores(side.path("scores"), item.path("score_deltas").path(run)),
                        side.path("latency_ms").isNumber() ? LlmView.ms(side.path("latency_ms").asDouble()) : "",
                        count(side.path("total_tokens")), text(side, "error")));
            }
            items.add(new ItemRow(text(item, "item_id"), shortJson(item.path("input")), shortJson(item.path("expected_output")),
                    item.path("outputs_differ").asBoolean(), cells));
        }
        return new Comparison(runs, summaries, items);
    }

    /**
     * Scores as figures: a list {@code [{name, type, value, category}]} (a run item's) or an object by name (a comparison's
     * side: {@code {name: {type, value, category}}}), with their deltas by name where given. An evaluator that could not
     * score shows its error.
     */
    static List<Figure> scores(JsonNode scores, JsonNode deltas) {
        List<Figure> out = new ArrayList<>();
        if (scores.isArray()) {
            for (JsonNode s : scores) {
                out.add(figure(text(s, "name"), s, deltas));
            }
        } else if (scores.isObject()) {
            scores.properties().forEach(e -> out.add(figure(e.getKey(), e.getValue(), deltas)));
        }
        return out;
    }

    private static Figure figure(String name, JsonNode s, JsonNode deltas) {
        String value = s.hasNonNull("error") ? "error: " + text(s, "error")
                : s.hasNonNull("category") && "CATEGORICAL".equals(text(s, "type")) ? text(s, "category")
                : "BOOLEAN".equals(text(s, "type")) ? (s.path("value").asDouble() >= 0.5 ? "pass" : "fail")
                : number(s.path("value"));
        JsonNode delta = deltas == null ? null : deltas.path(name);
        return new Figure(name, value, signed(delta), trend(delta));
    }

    public static String datasetsLink(String project) {
        return LlmView.projectLink(project) + "/datasets";
    }

    public static String runsLink(String project, String dataset) {
        return datasetsLink(project) + "/runs?name=" + LlmView.encode(dataset);
    }

    /** The dashboard's comparison of runs of a dataset: {@code runs} repeated, the baseline first. */
    public static String compareLink(String project, String dataset, List<String> runs) {
        StringBuilder link = new StringBuilder(datasetsLink(project)).append("/compare?name=").append(LlmView.encode(dataset));
        runs.forEach(r -> link.append("&runs=").append(LlmView.encode(r)));
        return link.toString();
    }

    /** retrain's path of a dataset: its name's folders kept as path segments (retrain reads them so), each encoded. */
    static String datasetPath(String name) {
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/", -1)) {
            parts.add(LlmView.segment(part));
        }
        return "/api/v1/evaluation/datasets/" + String.join("/", parts);
    }

    private static String signed(JsonNode delta) {
        if (delta == null || !delta.isNumber()) {
            return "";
        }
        double d = delta.asDouble();
        return (d > 0 ? "+" : "") + round(d);
    }

    private static String trend(JsonNode delta) {
        if (delta == null || !delta.isNumber() || Math.abs(delta.asDouble()) < 1e-9) {
            return "";
        }
        return delta.asDouble() > 0 ? "up" : "down";
    }

    private static Iterable<JsonNode> array(JsonNode node) {
        return node != null && node.isArray() ? node : List.of();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNull() || value.isMissingNode() ? "" : value.asText();
    }

    private static String count(JsonNode value) {
        return value.isNumber() ? value.asText() : "";
    }

    private static String number(JsonNode value) {
        return value.isNumber() ? round(value.asDouble()) : "";
    }

    private static String round(double value) {
        if (!Double.isFinite(value)) {
            return "";
        }
        return BigDecimal.valueOf(value).round(FOUR_DIGITS).stripTrailingZeros().toPlainString();
    }

    private static String shortJson(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "";
        }
        String text = value.isTextual() ? value.asText() : value.toString();
        return text.length() > 2000 ? text.substring(0, 2000) + "…" : text;
    }
}
