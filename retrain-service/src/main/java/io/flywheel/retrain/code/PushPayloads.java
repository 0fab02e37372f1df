package io.flywheel.retrain.code;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The push events of GitHub ({@code X-GitHub-Event: push}) and GitLab ({@code object_kind: push},
 * the "Push Hook"), read into a {@link Push}. Only the fields retraining needs are read; anything else
 * in the payload is ignored. Plain Java; IllegalArgumentException names what is missing.
 */
public final class PushPayloads {

    /** What git sends as the new commit of a deleted ref. */
    private static final String ZERO = "0000000000000000000000000000000000000000";

    private PushPayloads() {
    }

    /**
     * GitHub's push event: {@code ref}, {@code after} (the new head; zeros and {@code deleted: true}
     * when the branch was deleted), {@code repository.clone_url}, {@code html_url}, {@code ssh_url},
     * {@code git_url}, {@code pusher.name}.
     */
    public static Push github(JsonNode payload, String delivery) {
        String ref = required(payload, "ref");
        boolean deleted = payload.path("deleted").asBoolean(false);
        String after = text(payload, "after");
        JsonNode repository = payload.path("repository");
        List<String> addresses = addresses(repository, "clone_url", "html_url", "ssh_url", "git_url", "url");
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("repository.clone_url is required (a GitHub push event names its repository)");
        }
        return new Push("github", delivery, addresses, ref, CodeRepositories.branchOf(ref), commit(after, deleted, "after"),
                text(payload.path("pusher"), "name"));
    }

    /**
     * GitLab's push hook: {@code object_kind} {@code push}, {@code ref}, {@code checkout_sha} (null when
     * the branch was deleted; else {@code after}), {@code project.git_http_url}, {@code git_ssh_url},
     * {@code web_url} (or the older {@code repository.git_http_url}, ...), {@code user_username}.
     */
    public static Push gitlab(JsonNode payload) {
        String kind = text(payload, "object_kind");
        if (!"push".equals(kind)) {
            throw new IllegalArgumentException("object_kind must be push, not " + (kind == null ? "missing" : "'" + kind + "'"));
        }
        String ref = required(payload, "ref");
        String checkout = text(payload, "checkout_sha");
        String after = checkout != null ? checkout : text(payload, "after");
        List<String> addresses = addresses(payload.path("project"), "git_http_url", "git_ssh_url", "web_url", "http_url", "url");
        addresses(payload.path("repository"), "git_http_url", "git_ssh_url", "homepage", "url").stream()
                .filter(a -> !addresses.contains(a)).forEach(addresses::add);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("project.git_http_url is required (a GitLab push hook names its project)");
        }
        return new Push("gitlab", null, addresses, ref, CodeRepositories.branchOf(ref), commit(after, false, "checkout_sha"),
                text(payload, "user_username"));
    }

    private static String commit(String value, boolean deleted, String field) {
        if (deleted || value == null || value.equals(ZERO) || value.chars().allMatch(c -> c == '0')) {
            return null;
        }
        String commit = value.toLowerCase(Locale.ROOT);
        if (!commit.matches(Push.COMMIT_PATTERN)) {
            throw new IllegalArgumentException(field + " must be a commit id (hex), not '" + abbreviate(value) + "'");
        }
        return commit;
    }

    private static List<String> addresses(JsonNode node, String... fields) {
        List<String> out = new ArrayList<>();
        for (String field : fields) {
            String value = text(node, field);
            if (value != null && !value.isBlank() && !out.contains(value)) {
                out.add(value);
            }
        }
        return out;
    }

    private static String required(JsonNode node, String field) {
        String value = text(node, field);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }

    private static String abbreviate(String value) {
        return value.length() > 80 ? value.substring(0, 80) + "…" : value;
    }
}
