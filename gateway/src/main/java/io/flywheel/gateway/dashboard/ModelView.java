package io.flywheel.gateway.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything the dashboard shows about one model, gathered from the four services. */
public record ModelView(
        Table versions,
        List<EnvironmentView> environments,
        Table jobs,
        String monitorStatus,
        Integer chartedVersion,
        String driftChart,
        String qualityChart,
        String promotionPolicy,
        List<String> problems) {

    public record EnvironmentView(String name, String summary, Table history) {
    }

    /** Drift scores above this are drawn at it: past a few thresholds, how far past no longer matters on a chart. */
    static final double SCORE_CAP = 5;
    /** Chart.js's own default colours. */
    static final List<String> PALETTE = List.of("#36a2eb", "#ff6384", "#4bc0c0", "#ff9f40", "#9966ff", "#ffcd56", "#c9cbcf");

    static Uni<ModelView> load(ServiceCalls services, ObjectMapper json, String model, String principal,
                               ServiceCalls.Answer versions, ServiceCalls.Answer deployments,
                               ServiceCalls.Answer jobs, ServiceCalls.Answer status, ServiceCalls.Answer policy) {
        List<String> problems = new ArrayList<>();
        note(problems, "registry", versions);
        note(problems, "deploy", deployments);
        note(problems, "retrain", jobs);
        note(problems, "monitor", status);

        JsonNode envs = deployments.ok() ? deployments.body().path("environments") : null;
        List<Uni<EnvironmentView>> environments = new ArrayList<>();
        if (envs != null && envs.isArray()) {
            for (JsonNode env : envs) {
                String name = env.path("name").asText();
                environments.add(services.get("deploy-service", "/api/v1/deployments/" + model + "/" + name + "/history?limit=10", principal)
                        .map(history -> new EnvironmentView(name, summary(env),
                                Table.of(history.ok() ? items(history.body()) : null, List.of("at", "action", "actor", "version", "reason")))));
            }
        }
        Integer version = chartedVersion(versions, deployments);
        Uni<ServiceCalls.Answer> drift = version == null ? Uni.createFrom().item(new ServiceCalls.Answer(0, null, null))
                : services.get("monitor-service", "/api/v1/monitoring/" + model + "/versions/" + version + "/drift", principal);
        Uni<List<EnvironmentView>> allEnvironments = environments.isEmpty() ? Uni.createFrom().item(List.of())
                : Uni.join().all(environments).andFailFast();
        return Uni.combine().all().unis(allEnvironments, drift).asTuple().map(t -> new ModelView(
                Table.of(versions.ok() ? items(versions.body()) : null, List.of("version", "status", "framework", "metrics", "lineage", "created_at")),
                t.getItem1(),
                Table.of(jobs.ok() ? items(jobs.body()) : null, List.of("id", "state", "trigger", "created_at", "evaluation")),
                status.ok() ? status.body().toPrettyString() : "",
                version,
                chart(json, t.getItem2(), "features"),
                chart(json, t.getItem2(), "quality"),
                policySummary(policy),
                problems));
    }

    /** The model's promotion policy in one line: what goes to production by itself, how, judged on what. */
    static String policySummary(ServiceCalls.Answer answer) {
        if (answer.status() == 404) {
            return "none: versions reach production when someone promotes them";
        }
        if (!answer.ok() || answer.body() == null) {
            return "unknown (" + (answer.error() != null ? answer.error() : "HTTP " + answer.status()) + ")";
        }
        JsonNode p = answer.body().path("policy");
        StringBuilder line = new StringBuilder();
        line.append(p.path("auto_promote").asBoolean() ? "by itself: " : "by hand: ")
                .append(p.path("from").asText()).append(" → ").append(p.path("to").asText())
                .append(" after ").append(p.path("soak").path("min_time").asText()).append(" and ")
                .append(p.path("soak").path("min_samples").asLong()).append(" predictions");
        if (p.path("shadow").isObject()) {
            line.append("; shadow first (").append(p.path("shadow").path("min_samples").asLong()).append(" copies)");
        }
        line.append("; ").append(p.path("strategy").asText());
        if (p.path("canary").path("steps").isArray()) {
            line.append(" ").append(p.path("canary").path("steps"));
        }
        List<String> judged = new ArrayList<>();
        p.path("judge").properties().forEach(e -> judged.add(e.getKey()));
        if (!judged.isEmpty()) {
            line.append("; judged against the champion on ").append(String.join(", ", judged));
        }
        List<String> rollback = new ArrayList<>();
        p.path("rollback_on").forEach(r -> rollback.add(r.asText()));
        if (!rollback.isEmpty()) {
            line.append("; rolled back on ").append(String.join(", ", rollback));
        }
        return line.toString();
    }

    static void note(List<String> problems, String service, ServiceCalls.Answer answer) {
        if (!answer.ok() && answer.status() != 404) {
            problems.add(service + ": " + (answer.error() != null ? answer.error() : "HTTP " + answer.status()));
        }
    }

    static JsonNode items(JsonNode body) {
        return body.isArray() ? body : body.path("items");
    }

    private static String summary(JsonNode environment) {
        List<String> parts = new ArrayList<>();
        for (JsonNode live : environment.path("live")) {
            parts.add("v" + live.path("version").asText() + " " + live.path("traffic_percent").asText("100") + "% " + live.path("role").asText(""));
        }
        if (parts.isEmpty()) { // an answer without the split names only the versions
            for (JsonNode v : environment.path("live_versions")) {
                parts.add("v" + v.asText());
            }
        }
        return parts.isEmpty() ? "nothing deployed" : String.join(", ", parts);
    }

    /** The version to chart: the production one if any, else the newest registered. */
    private static Integer chartedVersion(ServiceCalls.Answer versions, ServiceCalls.Answer deployments) {
        if (deployments.ok()) {
            for (JsonNode env : deployments.body().path("environments")) {
                for (JsonNode live : env.path("live")) {
                    if (live.has("version")) {
                        return live.path("version").asInt();
                    }
                }
            }
        }
        if (versions.ok()) {
            int newest = 0;
            for (JsonNode v : items(versions.body())) {
                newest = Math.max(newest, v.path("version").asInt());
            }
            return newest == 0 ? null : newest;
        }
        return null;
    }

    /**
     * A Chart.js line chart (labels and one dataset per series) from the monitor's time series:
     * points with a time and, under {@code field}, a number (or an object with a score) per series.
     */
    static String chart(ObjectMapper json, ServiceCalls.Answer series, String field) {
        if (series == null || !series.ok()) {
            return null;
        }
        JsonNode points = series.body().isArray() ? series.body() : firstArray(series.body(), "windows", "points", "items");
        if (points == null || points.isEmpty()) {
            return null;
        }
        List<String> labels = new ArrayList<>();
        Map<String, ArrayNode> datasets = new LinkedHashMap<>();
        int index = 0;
        for (JsonNode point : points) {
            labels.add(firstText(point, "window_end", "time", "at", "end"));
            JsonNode values = point.path(field);
            int i = index;
            values.fieldNames().forEachRemaining(name -> {
                JsonNode value = values.get(name);
                String test = decidingTest(value);
                double number = value.isNumber() ? value.asDouble()
                        : test != null ? driftScore(value.path("tests").path(test)) : Double.NaN;
                ArrayNode data = datasets.computeIfAbsent(test == null ? name : name + " (" + test + ")", n -> json.createArrayNode());
                while (data.size() < i) {
                    data.addNull();
                }
                if (Double.isNaN(number)) {
                    data.addNull();
                } else {
                    data.add(number);
                }
            });
            index++;
        }
        if (datasets.isEmpty()) {
            return null;
        }
        // drift results (objects of tests) are charted as scores against their thresholds: draw the line at 1
        boolean scored = false;
        for (JsonNode point : points) {
            for (JsonNode value : point.path(field)) {
                scored |= value.isObject();
            }
        }
        ObjectNode chart = json.createObjectNode();
        ArrayNode labelNodes = chart.putArray("labels");
        labels.forEach(labelNodes::add);
        ArrayNode sets = chart.putArray("datasets");
        // colours set here, as Chart.js's automatic palette stands down once any dataset (the threshold) has one
        datasets.forEach((name, data) -> {
            String colour = PALETTE.get(sets.size() % PALETTE.size());
            sets.addObject().put("label", name).put("borderColor", colour).put("backgroundColor", colour).set("data", data);
        });
        if (scored) {
            ArrayNode ones = json.createArrayNode();
            labels.forEach(label -> ones.add(1.0));
            sets.addObject().put("label", "threshold").put("pointRadius", 0).put("borderColor", "#999")
                    .<ObjectNode>set("borderDash", json.createArrayNode().add(6).add(4)).set("data", ones);
        }
        return chart.toString();
    }

    /**
     * A test's result on one scale for every test, so features tested differently share a chart: 1 at
     * the test's threshold, above it drifted. Distances: statistic / threshold. P-values:
     * log(p) / log(alpha), which is 1 at p = alpha and grows as p shrinks. Capped at {@value #SCORE_CAP}.
     */
    static double driftScore(JsonNode result) {
        double threshold = result.path("threshold").asDouble(Double.NaN);
        double score;
        if (result.hasNonNull("pvalue")) {
            double p = Math.max(result.path("pvalue").asDouble(Double.NaN), Double.MIN_NORMAL);
            score = threshold > 0 && threshold < 1 ? Math.log(p) / Math.log(threshold) : Double.NaN;
        } else {
            score = threshold > 0 ? result.path("statistic").asDouble(Double.NaN) / threshold : Double.NaN;
        }
        return Math.min(score, SCORE_CAP);
    }

    /** The test whose statistic stands for a feature: the one that decided, else the first one run. */
    private static String decidingTest(JsonNode feature) {
        if (feature.path("decided_by").isArray() && !feature.path("decided_by").isEmpty()) {
            return feature.path("decided_by").get(0).asText();
        }
        var names = feature.path("tests").fieldNames();
        return names.hasNext() ? names.next() : null;
    }

    private static JsonNode firstArray(JsonNode body, String... names) {
        for (String name : names) {
            if (body.path(name).isArray()) {
                return body.path(name);
            }
        }
        return null;
    }

    private static String firstText(JsonNode node, String... names) {
        for (String name : names) {
            if (node.hasNonNull(name)) {
                return node.get(name).asText();
            }
        }
        return "";
    }
}
