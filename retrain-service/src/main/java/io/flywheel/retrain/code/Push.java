package io.flywheel.retrain.code;

import java.util.List;

/**
 * A push to a git repository, as a webhook or a person reports it.
 *
 * @param source       {@code github}, {@code gitlab} or {@code api}
 * @param delivery     the webhook's delivery id (GitHub's {@code X-GitHub-Delivery}), or null
 * @param repositories every address the sender gives for the repository (clone, HTML, SSH URLs)
 * @param ref          the ref pushed ({@code refs/heads/main})
 * @param branch       the branch of {@code ref}, or null when it is not a branch (a tag)
 * @param commit       the commit the ref now points at (lower-case hex), or null when the ref was deleted
 * @param pusher       who pushed, as the sender says, or null
 */
public record Push(String source, String delivery, List<String> repositories, String ref, String branch, String commit,
                   String pusher) {

    /** A full or abbreviated commit id (SHA-1 or SHA-256). */
    public static final String COMMIT_PATTERN = "[0-9a-f]{7,64}";

    public Push {
        repositories = List.copyOf(repositories);
    }

    /** Why this push can't start a retraining, or null when it can (a branch that now points at a commit). */
    public String unusable() {
        if (branch == null) {
            return "'" + ref + "' is not a branch";
        }
        if (commit == null) {
            return "branch '" + branch + "' was deleted";
        }
        return null;
    }
}
