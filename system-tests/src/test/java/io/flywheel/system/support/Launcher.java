package io.flywheel.system.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The project's launcher, driving the test stack's real processes: stop, kill -9, start again. */
public final class Launcher {

    private final Path launcher = TestStack.launcher();

    /** Stops a part of the test stack: postgres, kafka, s3proxy or a service. */
    public void stop(String component) {
        run(Duration.ofSeconds(60), "stop", component);
    }

    /** kill -9 (for PostgreSQL, an immediate shutdown). */
    public void kill(String component) {
        run(Duration.ofSeconds(30), "kill", component);
    }

    /** Starts whatever part of the test stack is not running, and waits until every service is ready. */
    public void up() {
        run(Duration.ofSeconds(300), "up");
    }

    /** Starts only the stack's infrastructure (PostgreSQL, Kafka, S3) that is not running; services are left alone. */
    public void stack() {
        run(Duration.ofSeconds(120), "stack");
    }

    private void run(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("FLYWHEEL_STACK", "test");
        builder.environment().put("FLYWHEEL_NO_BUILD", "1");
        try {
            Process process = builder.start();
            String output;
            try (var in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeout);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "):\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + launcher, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
