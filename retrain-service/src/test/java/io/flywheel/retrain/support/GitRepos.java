package io.flywheel.retrain.support;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real git repositories on the local disk for tests, made with the {@code git} command: a bare
 * repository (what a forge would host) and a working clone that commits and pushes to it. No network.
 */
public final class GitRepos {

    /** The bare repository and a working clone of it. */
    public record Repo(Path bare, Path work) {

        /** Writes the files (path → content), commits them on the current branch and pushes; returns the new commit's id. */
        public String commit(String message, Map<String, String> files) throws IOException, InterruptedException {
            for (var file : files.entrySet()) {
                Path path = work.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
            }
            git(work, "add", "-A");
            git(work, "commit", "--quiet", "-m", message);
            git(work, "push", "--quiet", "origin", "HEAD");
            return git(work, "rev-parse", "HEAD").strip();
        }

        /** Switches the working clone to a new branch (its commits are pushed there). */
        public void branch(String name) throws IOException, InterruptedException {
            git(work, "checkout", "--quiet", "-b", name);
        }
    }

    private GitRepos() {
    }

    /** Skips the calling test when there is no git command. */
    public static void assumeGit() {
        boolean present;
        try {
            Process p = new ProcessBuilder("git", "--version").redirectErrorStream(true).start();
            present = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            present = false;
        }
        Assumptions.assumeTrue(present, "the git command is not installed: sudo apt-get install -y git to run this test");
    }

    /** A new bare repository {@code <dir>/<name>.git} whose default branch is main, and a clone of it in {@code <dir>/<name>-work}. */
    public static Repo create(Path dir, String name) throws IOException, InterruptedException {
        Path bare = dir.resolve(name + ".git");
        Path work = dir.resolve(name + "-work");
        git(dir, "init", "--quiet", "--bare", "--initial-branch=main", bare.toString());
        git(dir, "init", "--quiet", "--initial-branch=main", work.toString());
        git(work, "remote", "add", "origin", bare.toString());
        return new Repo(bare, work);
    }

    /** Runs git in {@code dir} (with a fixed identity, no user or system config) and returns its output; fails the test when git does. */
    public static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Flywheel Test", "-c", "user.email=test@flywheel.invalid",
                "-c", "commit.gpgsign=false"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }
}
