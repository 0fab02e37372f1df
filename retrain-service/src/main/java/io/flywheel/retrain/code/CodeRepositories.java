package io.flywheel.retrain.code;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Repository addresses and branch names of {@code trainer.code}: what a policy may name, and whether
 * the repository a push reports is the one a policy names. Plain Java.
 *
 * <p>Two addresses name the same repository when they are equal after normalising: {@code file://}
 * URLs become paths, paths are made absolute and normalised, a host is compared in lower case, and a
 * trailing {@code /} or {@code .git} is dropped. So {@code /srv/git/churn.git},
 * {@code file:///srv/git/churn} and {@code /srv/git/churn/} are one repository, and so are
 * {@code https://GitHub.com/acme/churn.git} and {@code https://github.com/acme/churn}; an
 * {@code https://} and an {@code ssh://} address of one project are not (a policy names one address;
 * a push reports all it has: GitHub's clone, HTML, SSH and git URLs, GitLab's HTTP, SSH and web URLs).
 */
public final class CodeRepositories {

    /** {@code git@host:path} (scp-like SSH). */
    private static final Pattern SCP_LIKE = Pattern.compile("[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^/].*");
    /** A branch name as git allows it, kept to ordinary characters. */
    private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9._/+-]{1,255}");

    private CodeRepositories() {
    }

    /** Why {@code repository} can't be cloned as given, or null when it can be. */
    public static String problem(String repository) {
        if (repository.length() > 2048 || repository.chars().anyMatch(Character::isISOControl)) {
            return "must be at most 2048 characters, without control characters";
        }
        if (repository.startsWith("-")) {
            return "must not start with '-'";
        }
        if (SCP_LIKE.matcher(repository).matches() || repository.startsWith("/")) {
            return null;
        }
        try {
            URI uri = new URI(repository);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return switch (scheme) {
                case "file" -> uri.getPath() == null || uri.getPath().isEmpty() ? "must be a file:// URL with a path" : null;
                case "http", "https", "ssh", "git" -> uri.getHost() == null ? "must name a host" : uri.getRawUserInfo() != null
                        && uri.getRawUserInfo().contains(":") ? "must not carry a password (use a credential helper or an SSH key)" : null;
                default -> "must be an absolute path, a file:// URL, or an https://, ssh://, git:// or git@host:path address";
            };
        } catch (URISyntaxException e) {
            return "is not a valid URL: " + e.getReason();
        }
    }

    /** Whether {@code branch} is an ordinary branch name (no {@code ..}, no leading {@code -} or {@code /}, no {@code .lock} end). */
    public static boolean validBranch(String branch) {
        return branch != null && BRANCH.matcher(branch).matches() && !branch.contains("..") && !branch.contains("//")
                && !branch.startsWith("-") && !branch.startsWith("/") && !branch.endsWith("/") && !branch.endsWith(".lock")
                && !branch.startsWith("refs/");
    }

    /** A trainer's name from its repository: the last path segment without {@code .git} ({@code churn-trainer}), else {@code code}. */
    public static String defaultName(String repository) {
        if (repository == null) {
            return "code";
        }
        String n = normalise(repository);
        String last = n.substring(Math.max(Math.max(n.lastIndexOf('/'), n.lastIndexOf(':')) + 1, 0));
        String name = last.replaceAll("[^A-Za-z0-9._+-]", "-");
        if (name.length() > 64) {
            name = name.substring(0, 64);
        }
        return name.isEmpty() || name.chars().allMatch(c -> c == '.' || c == '-') ? "code" : name;
    }

    /** The branch a ref names ({@code refs/heads/main} → {@code main}), or null for a tag or any other ref. */
    public static String branchOf(String ref) {
        return ref != null && ref.startsWith("refs/heads/") && ref.length() > "refs/heads/".length() ? ref.substring("refs/heads/".length()) : null;
    }

    /** Whether any of {@code reported} (what a push says its repository is) names the repository {@code named} (a policy's). */
    public static boolean sameRepository(String named, Collection<String> reported) {
        String target = normalise(named);
        return reported.stream().filter(r -> r != null && !r.isBlank()).map(CodeRepositories::normalise).anyMatch(target::equals);
    }

    /** The comparable form of an address (see the class comment). */
    public static String normalise(String repository) {
        String r = repository.strip();
        if (r.regionMatches(true, 0, "file:", 0, 5)) {
            try {
                r = Path.of(new URI(r)).toString();
            } catch (URISyntaxException | IllegalArgumentException e) {
                r = r.substring(r.startsWith("file://") ? 7 : 5);
            }
        }
        if (r.startsWith("/")) {
            r = Path.of(r).toAbsolutePath().normalize().toString();
        } else if (!SCP_LIKE.matcher(r).matches()) {
            try {
                URI uri = new URI(r);
                if (uri.getScheme() != null && uri.getHost() != null) {
                    String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
                    String user = uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@";
                    r = uri.getScheme().toLowerCase(Locale.ROOT) + "://" + user + uri.getHost().toLowerCase(Locale.ROOT) + port
                            + (uri.getRawPath() == null ? "" : uri.getRawPath());
                }
            } catch (URISyntaxException e) {
                // compared as it is
            }
        }
        while (r.endsWith("/") && r.length() > 1) {
            r = r.substring(0, r.length() - 1);
        }
        if (r.endsWith(".git")) {
            r = r.substring(0, r.length() - 4);
        }
        return r;
    }
}
