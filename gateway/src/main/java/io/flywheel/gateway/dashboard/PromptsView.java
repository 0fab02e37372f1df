package io.flywheel.gateway.dashboard;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry's prompts (a project's list, a prompt's versions, one version) as rows the dashboard's templates show:
 * plain text, the template split into text and {@code {{variables}}}, links built here. Pure: unit-tested on fixed
 * answers.
 */
public final class PromptsView {

    /** A {@code {{variable}}} as the registry's compile reads it (spaces inside allowed). */
    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*[^{}\\s]+\\s*}}");

    private PromptsView() {
    }

    public record PromptRow(String name, String link, String type, String latest, int versions, List<String> labels, String tags,
                            String updatedAt) {
    }

    public record VersionRow(int version, String link, List<String> labels, String createdBy, String createdAt, String commitMessage,
                             String experimentId, String experimentLink, String diffLink) {
    }

    /** A piece of a template: text as written, or a {@code {{variable}}} to be filled. */
    public record Segment(String text, boolean variable) {
    }

    /** A chat prompt's entry: a message (role and content) or a placeholder for messages given at compile time. */
    public record Message(String role, String placeholder, List<Segment> content) {
    }

    /** One version for its page: the template as text or as messages, the config as indented JSON, and who made it why. */
    public record VersionDetail(String name, int version, String type, List<String> labels, String tags, String createdBy,
                                String createdAt, String commitMessage, String experimentId, String experimentLink,
                                List<Segment> text, List<Message> messages, List<String> variables, String config) {
        public boolean chat() {
            return messages != null;
        }
    }

    public static List<PromptRow> prompts(String project, JsonNode items) {
        List<PromptRow> rows = new ArrayList<>();
        for (JsonNode p : array(items)) {
            String name = text(p, "name");
            JsonNode versions = p.path("versions");
            rows.add(new PromptRow(name, promptLink(project, name), text(p, "type"),
                    versions.isArray() && !versions.isEmpty() ? versions.get(0).asText() : "", versions.size(), strings(p.path("labels")),
                    String.join(", ", strings(p.path("tags"))), text(p, "updated_at")));
        }
        return rows;
    }

    /** Versions as the registry lists them (newest first), each with a link to its diff against the one before it. */
    public static List<VersionRow> versions(String project, String name, JsonNode items) {
        List<JsonNode> list = new ArrayList<>();
        array(items).forEach(list::add);
        List<VersionRow> rows = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode v = list.get(i);
            int version = v.path("version").asInt();
            String experiment = text(v, "experiment_id");
            Integer before = i + 1 < list.size() ? list.get(i + 1).path("version").asInt() : null;
            rows.add(new VersionRow(version, versionLink(project, name, version), strings(v.path("labels")), text(v, "created_by"),
                    text(v, "created_at"), text(v, "commit_message"), experiment,
                    experiment.isEmpty() ? null : experimentLink(project, experiment),
                    before == null ? null : diffLink(project, name, before, version)));
        }
        return rows;
    }

    public static VersionDetail version(String project, JsonNode v) {
        String experiment = text(v, "experiment_id");
        JsonNode prompt = v.path("prompt");
        List<String> variables = new ArrayList<>();
        List<Segment> text = null;
        List<Message> messages = null;
        if (prompt.isArray()) {
            messages = new ArrayList<>();
            for (JsonNode m : prompt) {
                if ("placeholder".equals(m.path("type").asText()) && !m.has("role")) {
                    messages.add(new Message(null, m.path("name").asText(), List.of()));
                } else {
                    String content = m.path("content").isTextual() ? m.path("content").asText() : m.path("content").toString();
                    messages.add(new Message(m.path("role").asText(), null, segments(content, variables)));
                }
            }
        } else {
            text = segments(prompt.isTextual() ? prompt.asText() : prompt.isMissingNode() || prompt.isNull() ? "" : prompt.toString(),
                    variables);
        }
        return new VersionDetail(text(v, "name"), v.path("version").asInt(), text(v, "type"), strings(v.path("labels")),
                String.join(", ", strings(v.path("tags"))), text(v, "created_by"), text(v, "created_at"), text(v, "commit_message"),
                experiment, experiment.isEmpty() ? null : experimentLink(project, experiment), text, messages, List.copyOf(variables),
                PromptDiff.configText(v.path("config")));
    }

    /** A template's text cut at its variables; each variable's name is added to {@code variables} once. */
    static List<Segment> segments(String template, List<String> variables) {
        List<Segment> out = new ArrayList<>();
        Matcher m = VARIABLE.matcher(template);
        int at = 0;
        while (m.find()) {
            if (m.start() > at) {
                out.add(new Segment(template.substring(at, m.start()), false));
            }
            out.add(new Segment(m.group(), true));
            String name = m.group().substring(2, m.group().length() - 2).strip();
            if (!variables.contains(name)) {
                variables.add(name);
            }
            at = m.end();
        }
        if (at < template.length()) {
            out.add(new Segment(template.substring(at), false));
        }
        return out;
    }

    public static String promptsLink(String project) {
        return LlmView.projectLink(project) + "/prompts";
    }

    public static String promptLink(String project, String name) {
        return promptsLink(project) + "/versions?name=" + LlmView.encode(name);
    }

    public static String versionLink(String project, String name, int version) {
        return promptsLink(project) + "/version?name=" + LlmView.encode(name) + "&version=" + version;
    }

    public static String diffLink(String project, String name, int from, int to) {
        return promptsLink(project) + "/diff?name=" + LlmView.encode(name) + "&from=" + from + "&to=" + to;
    }

    public static String experimentLink(String project, String id) {
        return LlmView.projectLink(project) + "/experiments/" + LlmView.segment(id);
    }

    /** The registry's path of a prompt: its name's folders kept as path segments (the registry reads them so), each encoded. */
    static String registryPath(String name) {
        if (name.isBlank()) {
            throw new IllegalArgumentException("a prompt's name is required");
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/", -1)) {
            parts.add(LlmView.segment(part));
        }
        return "/api/v1/prompts/" + String.join("/", parts);
    }

    private static List<String> strings(JsonNode list) {
        List<String> out = new ArrayList<>();
        array(list).forEach(v -> out.add(v.asText()));
        return out;
    }

    private static Iterable<JsonNode> array(JsonNode node) {
        return node != null && node.isArray() ? node : List.of();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNull() || value.isMissingNode() ? "" : value.asText();
    }
}
