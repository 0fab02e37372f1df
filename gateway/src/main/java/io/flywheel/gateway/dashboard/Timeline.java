package io.flywheel.gateway.dashboard;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * A model's loop as one list, oldest first: retrain triggers, each job's state transitions, its
 * tests (the evaluation against the champion, and {@code model_tests} when a job carries them),
 * registered versions, alias moves, and every line of deploy's history (promotions, failed gates,
 * canary steps, rollbacks, and whatever else deploy records) with the numbers of its evidence.
 * Plain Java over the services' JSON as their APIs answer it, so it is tested without Quarkus.
 */
public record Timeline(List<Entry> entries) {

    public static final String TRIGGER = "trigger";
    public static final String JOB = "job";
    public static final String TEST = "test";
    public static final String VERSION = "version";
    public static final String ALIAS = "alias";
    public static final String GATE = "gate";
    public static final String PROMOTION = "promotion";
    public static final String CANARY_STEP = "canary step";
    public static final String ROLLBACK = "rollback";

    /** Numbers shown per entry; the rest are counted ("+3 more"). */
    static final int MAX_FIGURES = 12;
    private static final int MAX_SUMMARY = 300;
    /** Containers whose names add nothing to a number's name: everything shown is evidence, gate results are named by their gate. */
    private static final Set<String> TRANSPARENT = Set.of("evidence", "checks");
    /** What names an element of a list of objects, in a number's name (a gate's result, a live version's role). */
    private static final List<String> LABELS = List.of("gate", "name", "role");
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    /**
     * One thing that happened. {@code version} is null when it concerns no single version; {@code
     * figures} are the numbers behind it, at most {@value #MAX_FIGURES}, and {@code hidden} counts the others.
     */
    public record Entry(Instant at, String kind, Integer version, String actor, String summary, List<Figure> figures, int hidden) {

        /** The time to the second, in UTC. */
        public String time() {
            return SHOWN.format(at);
        }

        /** The kind as a CSS class: {@code canary step} -> {@code canary-step}. */
        public String kindClass() {
            return kind.replaceAll("[^A-Za-z0-9]+", "-");
        }
    }

    /** A named number: {@code percent 50}, {@code metrics.roc_auc.candidate 0.81}. */
    public record Figure(String name, String value) {
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Collects entries source by source; {@link #build()} orders them by time. */
    public static final class Builder {

        private final List<Entry> entries = new ArrayList<>();

        /** Retrain's triggers as {@code GET /api/v1/retrain/triggers} lists them (newest first). */
        public Builder triggers(JsonNode items) {
            for (JsonNode t : oldestFirst(items)) {
                StringBuilder s = new StringBuilder(t.path("kind").asText("?")).append(" trigger ").append(t.path("decision").asText("?"));
                if (has(t, "rule")) {
                    s.append(" (").append(t.get("rule").asText()).append(')');
                }
                if (has(t, "reason")) {
                    s.append(": ").append(t.get("reason").asText());
                }
                if (has(t, "job_id")) {
                    s.append(" → job ").append(shortId(t.get("job_id").asText()));
                }
                if (has(t, "duplicate_of")) {
                    s.append(", a duplicate of trigger ").append(t.get("duplicate_of").asText());
                }
                add(time(t, "received_at"), TRIGGER, version(t, "version"), text(t, "actor"), s.toString(), List.of());
            }
            return this;
        }

        /**
         * One retrain job, as {@code GET /api/v1/retrain/jobs/{id}} answers (with its transitions) or, when
         * that can't be read, as the list shows it (then only its current state). Its evaluation and
         * {@code model_tests}, when it has them, are test entries.
         */
        public Builder job(JsonNode job) {
            String name = "job " + shortId(job.path("id").asText());
            JsonNode transitions = job.path("transitions");
            if (transitions.isArray() && !transitions.isEmpty()) {
                for (JsonNode t : transitions) {
                    String from = text(t, "from");
                    String to = t.path("to").asText("?");
                    String s = name + ": " + (from.isEmpty() ? "created, " + to : from + " → " + to)
                            + (has(t, "reason") ? ": " + t.get("reason").asText() : "");
                    // data is prepared on the way into training: the training set's rows are its numbers
                    add(time(t, "at"), JOB, endsWithCandidate(to) ? version(job, "candidate_version") : null,
                            jobActor(job, from, to), s, "training".equals(to) ? numbers(job.path("data")) : List.of());
                }
            } else {
                add(time(job, "created_at"), JOB, null, text(job, "created_by"),
                        name + ": " + job.path("state").asText("?") + (has(job, "reason") ? ": " + job.get("reason").asText() : ""), List.of());
            }
            evaluation(job);
            modelTests(job);
            return this;
        }

        /** Registered versions as {@code GET /api/v1/models/{name}/versions} lists them (newest first). */
        public Builder versions(JsonNode items) {
            for (JsonNode v : oldestFirst(items)) {
                String s = "version " + v.path("version").asText("?") + " registered"
                        + (has(v, "format") ? " (" + v.get("format").asText() + ")" : "")
                        + (has(v, "status") ? ", " + v.get("status").asText() : "")
                        + (has(v.path("lineage"), "retrain_job") ? ", by retrain job " + shortId(v.path("lineage").get("retrain_job").asText()) : "");
                add(time(v, "created_at"), VERSION, version(v, "version"), text(v, "created_by"), s, numbers(v.path("metrics")));
            }
            return this;
        }

        /** One alias's moves as {@code GET /api/v1/models/{name}/aliases/{alias}/history} lists them (newest first). */
        public Builder aliasMoves(String alias, JsonNode items) {
            for (JsonNode m : oldestFirst(items)) {
                String from = text(m, "from_version");
                String to = text(m, "to_version");
                String s = from.isEmpty() ? alias + " set to v" + to
                        : to.isEmpty() ? alias + " removed (was v" + from + ")"
                        : alias + " moved from v" + from + " to v" + to;
                add(time(m, "moved_at"), ALIAS, version(m, "to_version"), text(m, "moved_by"),
                        s + (has(m, "reason") ? ": " + m.get("reason").asText() : ""), List.of());
            }
            return this;
        }

        /** One environment's history as {@code GET /api/v1/deployments/{model}/{environment}/history} lists it (newest first). */
        public Builder deployHistory(String environment, JsonNode items) {
            for (JsonNode h : oldestFirst(items)) {
                String action = h.path("action").asText("?");
                String what = has(h, "summary") ? h.get("summary").asText() : action;
                String reason = text(h, "reason");
                String s = environment + ": " + what + (reason.isEmpty() || what.contains(reason) ? "" : " — " + reason);
                add(time(h, "at"), kindOf(action), version(h, "version"), text(h, "actor"), s, numbers(h.path("evidence")));
            }
            return this;
        }

        /** The entries, oldest first; entries of the same instant keep the order they were added in. */
        public Timeline build() {
            List<Entry> sorted = new ArrayList<>(entries);
            sorted.sort(Comparator.comparing(Entry::at)); // stable
            return new Timeline(List.copyOf(sorted));
        }

        /** The candidate compared with the champion on the same holdout, when the job got that far. */
        private void evaluation(JsonNode job) {
            JsonNode e = job.path("evaluation");
            if (!e.isObject()) {
                return;
            }
            String metric = e.path("metric").asText("");
            List<Figure> figures = new ArrayList<>();
            figure(figures, "candidate." + metric, e.path("candidate").path(metric));
            figure(figures, "champion." + metric, e.path("champion").path(metric));
            figure(figures, "improvement", e.path("improvement"));
            figure(figures, "margin", e.path("margin"));
            figure(figures, "holdout_rows", e.path("holdout_rows"));
            String against = has(e, "champion_version") ? "against champion v" + e.get("champion_version").asText() : "with no champion to beat";
            String s = "evaluation of " + shortName(job) + " " + against + ": " + e.path("decision").asText("?")
                    + (has(e, "reason") ? " — " + e.get("reason").asText() : "");
            add(leftState(job, "evaluating"), TEST, version(job, "candidate_version"), "retrain", s, figures);
        }

        /**
         * A job's model tests, in whatever shape they come: their status in words, their numbers by name;
         * placed at their own {@code at}, else where the job left evaluating.
         */
        private void modelTests(JsonNode job) {
            JsonNode tests = job.path("model_tests");
            if (!tests.isObject() && !tests.isArray()) {
                return;
            }
            String status = "";
            for (String field : List.of("status", "decision", "verdict", "outcome", "result")) {
                if (tests.path(field).isTextual()) {
                    status = tests.get(field).asText();
                    break;
                }
            }
            if (status.isEmpty() && tests.path("passed").isBoolean()) {
                status = tests.get("passed").asBoolean() ? "passed" : "failed";
            }
            Instant at = time(tests, "at");
            add(at != null ? at : leftState(job, "evaluating"), TEST, version(job, "candidate_version"), "retrain",
                    "model tests of " + shortName(job) + (status.isEmpty() ? "" : ": " + status), numbers(tests));
        }

        private void add(Instant at, String kind, Integer version, String actor, String summary, List<Figure> figures) {
            if (at == null) {
                return; // nothing to place it by
            }
            String line = summary.replaceAll("\\s+", " ").strip();
            if (line.length() > MAX_SUMMARY) {
                line = line.substring(0, MAX_SUMMARY) + "…";
            }
            int shown = Math.min(figures.size(), MAX_FIGURES);
            entries.add(new Entry(at, kind, version, actor, line, List.copyOf(figures.subList(0, shown)), figures.size() - shown));
        }

        /** When the job left {@code state} (e.g. evaluating), else when it last changed. */
        private static Instant leftState(JsonNode job, String state) {
            for (JsonNode t : job.path("transitions")) {
                if (state.equals(t.path("from").asText())) {
                    return time(t, "at");
                }
            }
            Instant finished = time(job, "finished_at");
            return finished != null ? finished : time(job, "updated_at");
        }

        private static String jobActor(JsonNode job, String from, String to) {
            if (from.isEmpty()) {
                return text(job, "created_by");
            }
            if ("cancelled".equals(to) && has(job.path("cancel"), "requested_by")) {
                return job.path("cancel").get("requested_by").asText();
            }
            return "retrain";
        }

        /** The states a job reaches once its candidate is (or would be) registered. */
        private static boolean endsWithCandidate(String state) {
            return "promotion-requested".equals(state) || "rejected".equals(state);
        }

        private static String shortName(JsonNode job) {
            return "job " + shortId(job.path("id").asText());
        }
    }

    /** Deploy's history actions by kind; an action this does not know is shown under its own name. */
    static String kindOf(String action) {
        return switch (action) {
            case "promoted", "shadow-started" -> PROMOTION;
            case "canary-started", "canary-advanced", "canary-completed" -> CANARY_STEP;
            case "rolled-back" -> ROLLBACK;
            case "gate-failed", "awaiting-approval", "promotion-refused" -> GATE;
            default -> action;
        };
    }

    /**
     * Every number under {@code node}, named by its path: objects by their keys (leaving out
     * {@link #TRANSPARENT} ones), lists of objects by each element's gate, name or role, else its index.
     */
    static List<Figure> numbers(JsonNode node) {
        List<Figure> out = new ArrayList<>();
        flatten(node, "", out);
        return out;
    }

    private static void flatten(JsonNode node, String path, List<Figure> out) {
        if (node == null) {
            return;
        }
        if (node.isNumber()) {
            out.add(new Figure(path.isEmpty() ? "value" : path, Table.text(node)));
        } else if (node.isObject()) {
            node.properties().forEach(field -> flatten(field.getValue(),
                    TRANSPARENT.contains(field.getKey()) ? path : join(path, field.getKey()), out));
        } else if (node.isArray()) {
            int index = 0;
            for (JsonNode element : node) {
                String label = String.valueOf(index++);
                for (String name : LABELS) {
                    if (element.path(name).isTextual()) {
                        label = element.get(name).asText();
                        break;
                    }
                }
                flatten(element, join(path, label), out);
            }
        }
    }

    private static void figure(List<Figure> out, String name, JsonNode value) {
        if (value.isNumber()) {
            out.add(new Figure(name, Table.text(value)));
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** The services list newest first; the timeline reads oldest first. */
    private static List<JsonNode> oldestFirst(JsonNode items) {
        List<JsonNode> list = new ArrayList<>();
        if (items != null && items.isArray()) {
            items.forEach(list::add);
        }
        return list.reversed();
    }

    private static Instant time(JsonNode node, String field) {
        if (!node.path(field).isTextual()) {
            return null;
        }
        try {
            return Instant.parse(node.get(field).asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Integer version(JsonNode node, String field) {
        return node.path(field).isIntegralNumber() && node.path(field).canConvertToInt() ? node.get(field).asInt() : null;
    }

    private static boolean has(JsonNode node, String field) {
        return node.hasNonNull(field) && !node.get(field).asText().isBlank();
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : "";
    }

    private static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) : id;
    }
}
