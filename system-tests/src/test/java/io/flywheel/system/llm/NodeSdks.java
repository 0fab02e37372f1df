package io.flywheel.system.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.system.support.TestStack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The official Langfuse JavaScript SDKs, run by Node.js: the checked-in project in src/test/node
 * (package.json and package-lock.json pin every version) installed with {@code npm ci} into
 * target/langfuse-sdks, and its scripts run there. npm's cache lives in the launcher's state
 * (.flywheel/test/npm-cache), so a rerun, even after {@code mvn clean}, needs no network; an install
 * whose lock file has not changed is not repeated at all.
 */
final class NodeSdks {

    static final int NODE_MAJOR = 20;
    private static final String HOW_TO_INSTALL = "install Node.js " + NODE_MAJOR + " or later with npm, e.g. from NodeSource "
            + "(curl -fsSL https://deb.nodesource.com/setup_" + NODE_MAJOR + ".x | sudo -E bash - && sudo apt-get install -y nodejs; "
            + "Debian 12's own nodejs is 18, too old) or Debian 13's packages (sudo apt-get install -y nodejs npm)";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path source = Path.of("src/test/node");
    private final Path work = Path.of("target/langfuse-sdks");

    /** node and npm on the PATH, Node at least {@value #NODE_MAJOR}; otherwise a failure that says how to get them. */
    static void requireNode() {
        String node = version("node", "--version");
        Matcher major = Pattern.compile("v?(\\d+)\\.").matcher(node);
        if (!major.lookingAt() || Integer.parseInt(major.group(1)) < NODE_MAJOR) {
            throw new AssertionError("LangfuseSdkIT runs the Langfuse JavaScript SDKs and needs Node.js " + NODE_MAJOR
                    + " or later, but `node --version` says " + node + ": " + HOW_TO_INSTALL);
        }
        version("npm", "--version");
    }

    private static String version(String tool, String flag) {
        try {
            Process process = new ProcessBuilder(tool, flag).redirectErrorStream(true).start();
            String out;
            try (var in = process.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new AssertionError("`" + tool + " " + flag + "` failed (" + out + "): " + HOW_TO_INSTALL);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("LangfuseSdkIT runs the Langfuse JavaScript SDKs and needs `" + tool + "` on the PATH, which has none ("
                    + e.getMessage() + "): " + HOW_TO_INSTALL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Copies the project to target/langfuse-sdks and runs {@code npm ci} there, unless its lock file is installed already. */
    void install() {
        try {
            Files.createDirectories(work);
            try (Stream<Path> files = Files.list(source)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(file, work.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            String lock = sha256(work.resolve("package-lock.json"));
            Path stamp = work.resolve("node_modules/.flywheel-installed");
            if (Files.exists(stamp) && Files.readString(stamp).strip().equals(lock)) {
                System.out.println("Langfuse SDKs: already installed in " + work.toAbsolutePath() + " (package-lock.json unchanged)");
                return;
            }
            Path cache = stateDir().resolve("test/npm-cache");
            long started = System.nanoTime();
            Result npm = exec(List.of("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline",
                    "--cache", cache.toAbsolutePath().toString()), Map.of(), Duration.ofMinutes(5));
            if (npm.exit() != 0) {
                throw new AssertionError("npm ci of the Langfuse SDKs (src/test/node/package-lock.json) failed (" + npm.describeExit()
                        + "); the first install needs the npm registry (https://registry.npmjs.org), later ones use the cache in "
                        + cache.toAbsolutePath() + ":\n" + tail(npm.stdout() + npm.stderr()));
            }
            Files.writeString(stamp, lock);
            System.out.printf("Langfuse SDKs: npm ci in %.1f s (cache %s)%n", (System.nanoTime() - started) / 1e9, cache.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs one of the scripts with the SDKs' own settings (LANGFUSE_BASE_URL, LANGFUSE_PUBLIC_KEY,
     * LANGFUSE_SECRET_KEY) and returns what it printed: the ids it made and the requests it sent. A
     * script exits non-zero on any refused request or SDK error; that is a failure here, with its stderr.
     */
    JsonNode run(String script, String baseUrl, String publicKey, String secretKey, String runId) {
        Result result = exec(List.of("node", script), Map.of("LANGFUSE_BASE_URL", baseUrl, "LANGFUSE_PUBLIC_KEY", publicKey,
                "LANGFUSE_SECRET_KEY", secretKey, "FLYWHEEL_RUN", runId), Duration.ofMinutes(2));
        if (result.exit() != 0) {
            throw new AssertionError(script + " against " + baseUrl + " failed (" + result.describeExit() + "):\n"
                    + tail(result.stderr()));
        }
        String last = result.stdout().strip().lines().reduce((a, b) -> b).orElse("");
        try {
            return JSON.readTree(last);
        } catch (IOException e) {
            throw new AssertionError(script + " printed no JSON result: " + tail(result.stdout()) + "\n" + tail(result.stderr()));
        }
    }

    private record Result(int exit, String stdout, String stderr, Duration timeout) {
        String describeExit() {
            return exit == -1 ? "did not finish in " + timeout.toSeconds() + " s" : "exit " + exit;
        }
    }

    private Result exec(List<String> command, Map<String, String> env, Duration timeout) {
        try {
            Path out = Files.createTempFile(work, "out", ".txt");
            Path err = Files.createTempFile(work, "err", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("LANGFUSE_") || name.startsWith("OTEL_"));
            builder.environment().putAll(env);
            Process process = builder.start();
            int exit;
            if (process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                exit = process.exitValue();
            } else {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                exit = -1;
            }
            Result result = new Result(exit, Files.readString(out), Files.readString(err), timeout);
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            throw new AssertionError("could not run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The launcher's state directory: FLYWHEEL_STATE, else .flywheel next to the launcher. */
    private static Path stateDir() {
        String state = System.getenv("FLYWHEEL_STATE");
        return state != null && !state.isBlank() ? Path.of(state) : TestStack.launcher().toAbsolutePath().getParent().resolve(".flywheel");
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String tail(String text) {
        List<String> lines = text.strip().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
