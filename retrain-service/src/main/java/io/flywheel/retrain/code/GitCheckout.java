package io.flywheel.retrain.code;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A trainer's repository checked out at one commit, with the {@code git} command: clone, resolve the
 * commit (the pushed one, or the branch's head), check it out detached. Plain Java; a failure is an
 * IllegalArgumentException (the job fails) whose message ends with git's last lines.
 */
public final class GitCheckout {

    /** git never asks anyone for a password here: it fails instead. */
    private static final Map<String, String> ENV = Map.of("GIT_TERMINAL_PROMPT", "0", "GIT_ASKPASS", "/bin/false",
            "GIT_CONFIG_NOSYSTEM", "1", "LC_ALL", "C");

    private final String git;
    private final Duration timeout;

    /** @param git the git executable ({@code git} from the PATH by default) */
    public GitCheckout(String git, Duration timeout) {
        this.git = git;
        this.timeout = timeout;
    }

    /**
     * Clones {@code repository} into {@code dir} (which must not exist yet) and checks out {@code commit},
     * or the head of {@code branch} when {@code commit} is null. Returns the full id of the commit checked out.
     */
    public String checkout(String repository, String branch, String commit, Path dir, Consumer<String> log)
            throws IOException, InterruptedException {
        Files.createDirectories(dir.getParent());
        run(List.of(git, "clone", "--quiet", "--no-checkout", "--", repository, dir.toString()), dir.getParent(), log,
                "cloning " + repository + " failed");
        String target = commit != null ? commit : "refs/remotes/origin/" + branch;
        String full = resolve(dir, target);
        if (full == null) {
            throw new IllegalArgumentException(commit != null
                    ? "commit " + commit + " is not in " + repository + " (no branch or tag of it reaches it)"
                    : "branch '" + branch + "' is not in " + repository);
        }
        run(List.of(git, "-c", "advice.detachedHead=false", "checkout", "--quiet", "--detach", full), dir, log,
                "checking out " + full + " failed");
        return full;
    }

    /** The full id of the commit {@code revision} names in the clone at {@code dir}, or null when it names none. */
    private String resolve(Path dir, String revision) throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        CodeCommand.Ended ended = CodeCommand.run(List.of(git, "rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"),
                dir, ENV, out::add, 5, timeout);
        return ended.succeeded() && !out.isEmpty() && out.getLast().matches("[0-9a-f]{40,64}") ? out.getLast() : null;
    }

    private void run(List<String> command, Path dir, Consumer<String> log, String failure) throws IOException, InterruptedException {
        CodeCommand.Ended ended;
        try {
            ended = CodeCommand.run(command, dir, ENV, line -> log.accept("git: " + line), 10, timeout);
        } catch (IOException e) {
            throw new IllegalArgumentException("could not run " + git + ": " + e.getMessage(), e);
        }
        if (!ended.succeeded()) {
            String why = ended.timedOut() ? "stopped after " + timeout : "exit code " + ended.exitCode();
            throw new IllegalArgumentException(failure + " (" + why + ")" + (ended.tail().isEmpty() ? "" : ": " + ended.tailText()));
        }
    }
}
