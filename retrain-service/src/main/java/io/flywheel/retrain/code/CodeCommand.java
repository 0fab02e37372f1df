package io.flywheel.retrain.code;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A command run in a directory (git, a trainer's tests): stdout and stderr together, line by line to
 * a consumer, the last lines kept for the error message; stopped with its children on cancel or when
 * its time is up. Plain Java.
 */
public final class CodeCommand {

    /** How it ended: the exit code (-1 when stopped), the last lines of its output, and whether it was stopped. */
    public record Ended(int exitCode, List<String> tail, boolean cancelled, boolean timedOut) {
        public boolean succeeded() {
            return exitCode == 0 && !cancelled && !timedOut;
        }

        public String tailText() {
            return String.join("\n", tail);
        }
    }

    private static final int MAX_LINE = 2000;

    private final Process process;
    private final Thread reader;
    private final Deque<String> tail = new ArrayDeque<>();
    private final int tailLines;
    private final AtomicBoolean cancelled = new AtomicBoolean();

    private CodeCommand(Process process, Consumer<String> output, int tailLines) {
        this.process = process;
        this.tailLines = tailLines;
        this.reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    String kept = line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + " …" : line;
                    synchronized (tail) {
                        tail.addLast(kept);
                        if (tail.size() > this.tailLines) {
                            tail.removeFirst();
                        }
                    }
                    output.accept(kept);
                }
            } catch (IOException e) {
                // the process went away: its exit code says the rest
            }
        });
    }

    /**
     * Starts {@code command} in {@code dir} with {@code env} added to this process's environment.
     * IOException when it can't be started (no such program).
     */
    public static CodeCommand start(List<String> command, Path dir, Map<String, String> env, Consumer<String> output, int tailLines)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        return new CodeCommand(process, output, tailLines);
    }

    /** Runs it to its end, or stops it after {@code timeout}. */
    public static Ended run(List<String> command, Path dir, Map<String, String> env, Consumer<String> output, int tailLines, Duration timeout)
            throws IOException, InterruptedException {
        return start(command, dir, env, output, tailLines).await(timeout);
    }

    /** Waits for its end; stops it when {@code timeout} passes first. */
    public Ended await(Duration timeout) throws InterruptedException {
        boolean timedOut = false;
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                timedOut = true;
                stop();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            stop();
            throw e;
        }
        reader.join(Duration.ofSeconds(10));
        List<String> lines;
        synchronized (tail) {
            lines = List.copyOf(tail);
        }
        boolean stopped = cancelled.get();
        int exit = process.isAlive() || timedOut || stopped ? -1 : process.exitValue();
        return new Ended(exit, lines, stopped, timedOut);
    }

    /** Stops it and its children; {@link #await} then reports it cancelled. Safe to call more than once. */
    public void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            stop();
        }
    }

    private void stop() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
