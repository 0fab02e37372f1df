package io.flywheel.gateway.dashboard;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The monitor's LLM answers (traces, a trace's tree of observations, sessions, scores) as rows the
 * dashboard's templates show: plain text and numbers, links built here. Pure: unit-tested on fixed answers.
 */
public final class LlmView {

    /** The traces list's filters and page size: the monitor's own parameter names, passed on as they are. */
    static final List<String> TRACE_FILTERS = List.of("name", "user_id", "session_id", "tags", "release", "version", "model",
            "min_cost", "max_cost", "min_latency_ms", "max_latency_ms", "from", "to", "limit");

    /** The time ranges a list may be limited to, as the form offers them: the newest traces only. */
    static final Map<String, Duration> RANGES = rangesInOrder();

    private static final MathContext FOUR_DIGITS = new MathContext(4);

    private LlmView() {
    }

    private static Map<String, Duration> rangesInOrder() {
        Map<String, Duration> ranges = new LinkedHashMap<>();
        ranges.put("1h", Duration.ofHours(1));
        ranges.put("24h", Duration.ofHours(24));
        ranges.put("7d", Duration.ofDays(7));
        ranges.put("30d", Duration.ofDays(30));
        return ranges;
    }

    /** The interval of a range's score series: a dozen to thirty points whatever the range. */
    static Duration seriesInterval(String range) {
        return switch (range) {
            case "1h" -> Duration.ofMinutes(5);
            case "24h" -> Duration.ofHours(1);
            case "7d" -> Duration.ofHours(6);
            default -> Duration.ofDays(1);
        };
    }

    /**
     * Where a range's score series starts: a multiple of its interval at or before {@code now} less the range, so
     * the points are the usual hours (or days) and their starts, all whole, sort as text.
     */
    static Instant seriesFrom(Instant now, String range) {
        long step = seriesInterval(range).toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(now.minus(RANGES.get(range)).toEpochMilli(), step) * step);
    }

    /** A trace in a list. {@code link} is the dashboard's page of the trace; {@code sessionLink} of its session, if any. */
    public record TraceRow(String id, String link, String time, String name, String userId, String sessionId, String sessionLink,
                           String tags, String models, String latency, String tokens, String cost, int observations) {
    }

    /** One observation of a trace's tree, in the order of a depth-first walk, with where its bar sits on the trace's span. */
    public record TreeRow(int depth, String id, String type, String name, String model, String prompt, String level,
                          String offset, String duration, double barLeft, double barWidth, String inputTokens,
                          String outputTokens, String totalTokens, String cost, String costSource) {

        /** The indentation as CSS: a row's depth shows as its distance from the left. */
        public String indent() {
            return "padding-left:" + (0.3 + depth * 1.4) + "em";
        }

        /** The timing bar's place as CSS percentages of the trace's span. */
        public String bar() {
            return String.format(Locale.ROOT, "left:%.2f%%;width:%.2f%%", barLeft, barWidth);
        }

        public String typeClass() {
            return type == null ? "" : type.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        }
    }

    public record ScoreRow(String name, String value, String dataType, String source, String target, String comment, String time) {
    }

    public record SessionRow(String id, String link, String createdAt, String lastTraceAt, String traces, String tokens, String cost) {
    }

    /** The trace's own figures for its page's header. */
    public record TraceSummary(String id, String name, String time, String userId, String sessionId, String sessionLink, String tags,
                               String release, String version, String environment, String latency, String tokens, String cost,
                               String input, String output) {
    }

    public static List<TraceRow> traces(String project, JsonNode items) {
        List<TraceRow> rows = new ArrayList<>();
        for (JsonNode t : array(items)) {
            String session = text(t, "session_id");
            rows.add(new TraceRow(t.path("id").asText(), traceLink(project, t.path("id").asText()), text(t, "timestamp"),
                    text(t, "name"), text(t, "user_id"), session, session.isEmpty() ? null : sessionLink(project, session),
                    joined(t.path("tags")), joined(t.path("models")), millis(t.path("latency_ms")), tokens(t.path("totals")),
                    cost(t.path("totals").path("total_cost")), t.path("observation_count").asInt()));
        }
        return rows;
    }

    public static TraceSummary summary(String project, JsonNode t) {
        String session = text(t, "session_id");
        return new TraceSummary(text(t, "id"), text(t, "name"), text(t, "timestamp"), text(t, "user_id"), session,
                session.isEmpty() ? null : sessionLink(project, session), joined(t.path("tags")), text(t, "release"),
                text(t, "version"), text(t, "environment"), millis(t.path("latency_ms")), tokens(t.path("totals")),
                cost(t.path("totals").path("total_cost")), shortJson(t.path("input")), shortJson(t.path("output")));
    }

    /**
     * A trace's observations (the monitor's tree: roots, each with its children) as rows, depth first. Offsets and
     * bars are measured from the earliest start in the tree (else the trace's own time) over the span to the latest end.
     */
    public static List<TreeRow> tree(JsonNode trace) {
        List<JsonNode> flat = new ArrayList<>();
        List<Integer> depths = new ArrayList<>();
        walk(trace.path("observations"), 0, flat, depths);
        Instant first = instant(trace.path("timestamp"));
        Instant last = null;
        for (JsonNode o : flat) {
            Instant start = instant(o.path("start_time"));
            Instant end = end(o);
            if (start != null && (first == null || start.isBefore(first))) {
                first = start;
            }
            for (Instant i : new Instant[]{start, end}) {
                if (i != null && (last == null || i.isAfter(last))) {
                    last = i;
                }
            }
        }
        double span = first == null || last == null ? 0 : Math.max(Duration.between(first, last).toNanos() / 1e6, 0);
        List<TreeRow> rows = new ArrayList<>();
        for (int i = 0; i < flat.size(); i++) {
            JsonNode o = flat.get(i);
            Instant start = instant(o.path("start_time"));
            Instant end = end(o);
            double offset = start == null || first == null ? Double.NaN : Duration.between(first, start).toNanos() / 1e6;
            double duration = start == null || end == null ? Double.NaN : Duration.between(start, end).toNanos() / 1e6;
            double left = span > 0 && !Double.isNaN(offset) ? clamp(100 * offset / span) : 0;
            double width = span > 0 && !Double.isNaN(duration) ? clamp(100 * duration / span) : 0;
            String prompt = text(o, "prompt_name");
            if (!prompt.isEmpty() && o.hasNonNull("prompt_version")) {
                prompt += " v" + o.path("prompt_version").asText();
            }
            rows.add(new TreeRow(depths.get(i), text(o, "id"), text(o, "type"), text(o, "name"), text(o, "model"), prompt,
                    text(o, "level"), Double.isNaN(offset) ? "" : "+" + ms(offset), Double.isNaN(duration) ? "" : ms(duration),
                    left, Math.max(Math.min(width, 100 - left), Double.isNaN(duration) ? 0 : 0.5),
                    count(o.path("input_tokens")), count(o.path("output_tokens")), count(o.path("total_tokens")),
                    cost(o.path("total_cost")), text(o, "cost_source")));
        }
        return rows;
    }

    public static List<ScoreRow> scores(JsonNode items) {
        List<ScoreRow> rows = new ArrayList<>();
        for (JsonNode s : array(items)) {
            String value = s.hasNonNull("string_value") ? s.path("string_value").asText() : number(s.path("value"));
            String target = s.hasNonNull("observation_id") ? "observation " + s.path("observation_id").asText()
                    : s.hasNonNull("trace_id") ? "trace " + s.path("trace_id").asText()
                    : s.hasNonNull("session_id") ? "session " + s.path("session_id").asText() : "";
            rows.add(new ScoreRow(text(s, "name"), value, text(s, "data_type"), text(s, "source"), target, text(s, "comment"),
                    text(s, "timestamp")));
        }
        return rows;
    }

    public static List<SessionRow> sessions(String project, JsonNode items) {
        List<SessionRow> rows = new ArrayList<>();
        for (JsonNode s : array(items)) {
            rows.add(new SessionRow(text(s, "id"), sessionLink(project, text(s, "id")), text(s, "created_at"), text(s, "last_trace_at"),
                    s.path("trace_count").asText(""), count(s.path("total_tokens")), cost(s.path("total_cost"))));
        }
        return rows;
    }

    /** The names of the scores in a list, in the order first seen. */
    public static List<String> scoreNames(JsonNode items) {
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode s : array(items)) {
            if (s.hasNonNull("name")) {
                names.add(s.path("name").asText());
            }
        }
        return List.copyOf(names);
    }

    /**
     * The monitor's query for a list from the dashboard's: the filters given (blank ones left out), the range as
     * {@code from} (unless a {@code from} is given), the cursor. {@code tags} may hold several, comma-separated.
     */
    public static String query(String project, Map<String, String> filters, String range, String cursor, Instant now) {
        StringBuilder q = new StringBuilder("project=").append(encode(project));
        for (String name : TRACE_FILTERS) {
            String value = filters.get(name);
            if (value == null || value.isBlank()) {
                continue;
            }
            if (name.equals("tags")) {
                for (String tag : value.split(",")) {
                    if (!tag.isBlank()) {
                        q.append("&tags=").append(encode(tag.strip()));
                    }
                }
            } else {
                q.append('&').append(name).append('=').append(encode(value.strip()));
            }
        }
        if (range != null && RANGES.containsKey(range) && blank(filters.get("from"))) {
            q.append("&from=").append(encode(now.minus(RANGES.get(range)).toString()));
        }
        if (cursor != null && !cursor.isBlank()) {
            q.append("&cursor=").append(encode(cursor));
        }
        return q.toString();
    }

    /** The dashboard's own link to the same list with the same filters (and a cursor, for the next page). */
    public static String listLink(String base, Map<String, String> filters, String range, String cursor) {
        StringBuilder q = new StringBuilder();
        filters.forEach((name, value) -> {
            if (!blank(value)) {
                q.append(q.isEmpty() ? "?" : "&").append(name).append('=').append(encode(value));
            }
        });
        if (!blank(range)) {
            q.append(q.isEmpty() ? "?" : "&").append("range=").append(encode(range));
        }
        if (!blank(cursor)) {
            q.append(q.isEmpty() ? "?" : "&").append("cursor=").append(encode(cursor));
        }
        return base + q;
    }

    public static String projectLink(String project) {
        return "/dashboard/llm/" + segment(project);
    }

    public static String traceLink(String project, String trace) {
        return projectLink(project) + "/traces/" + segment(trace);
    }

    public static String sessionLink(String project, String session) {
        return projectLink(project) + "/sessions/" + segment(session);
    }

    /** A path segment: percent-encoded, spaces as %20. */
    static String segment(String value) {
        return encode(value).replace("+", "%20");
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static void walk(JsonNode nodes, int depth, List<JsonNode> flat, List<Integer> depths) {
        for (JsonNode n : array(nodes)) {
            flat.add(n);
            depths.add(depth);
            walk(n.path("children"), depth + 1, flat, depths);
        }
    }

    private static Iterable<JsonNode> array(JsonNode node) {
        return node != null && node.isArray() ? node : List.of();
    }

    private static Instant end(JsonNode o) {
        Instant end = instant(o.path("end_time"));
        Instant start = instant(o.path("start_time"));
        if (end == null && start != null && o.path("latency_ms").isNumber()) {
            return start.plusNanos(Math.round(o.path("latency_ms").asDouble() * 1e6));
        }
        return end;
    }

    private static Instant instant(JsonNode value) {
        if (value == null || !value.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static double clamp(double percent) {
        return Math.max(0, Math.min(100, percent));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNull() || value.isMissingNode() ? "" : value.asText();
    }

    private static String joined(JsonNode list) {
        List<String> parts = new ArrayList<>();
        array(list).forEach(v -> parts.add(v.asText()));
        return String.join(", ", parts);
    }

    /** Milliseconds as a person reads them: "850 ms", "1.25 s". */
    static String ms(double millis) {
        return millis < 1000 ? round(millis) + " ms" : round(millis / 1000) + " s";
    }

    private static String millis(JsonNode value) {
        return value.isNumber() ? ms(value.asDouble()) : "";
    }

    private static String tokens(JsonNode totals) {
        if (!totals.path("total_tokens").isNumber() && !totals.path("input_tokens").isNumber()) {
            return "";
        }
        return count(totals.path("input_tokens")) + " → " + count(totals.path("output_tokens")) + " (" + count(totals.path("total_tokens")) + ")";
    }

    private static String count(JsonNode value) {
        return value.isNumber() ? value.asText() : "";
    }

    /** A cost in US dollars to four significant digits: "$0.000125". */
    static String cost(JsonNode value) {
        return value.isNumber() ? "$" + round(value.asDouble()) : "";
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
        return text.length() > 600 ? text.substring(0, 600) + "…" : text;
    }
}
