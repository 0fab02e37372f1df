package io.flywheel.retrain.runner;

import io.flywheel.linear.TrainerMain;
import io.flywheel.retrain.policy.RetrainPolicy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs each training as a separate process: the reference trainer in its own JVM
 * ({@code java -cp <linear-model and its libraries> io.flywheel.linear.TrainerMain}), or any
 * configured command (or the command of a trainer's code, run from its checkout), each with
 * {@code --dataset <uri> --output <dir> --params <json>} appended —
 * the trainer contract of docs/CONTRACTS.md. Progress is the process's output; the result is its exit
 * code. Cancelling destroys the process and its children (forcibly after a grace period).
 * {@code SOURCE_DATE_EPOCH} carries the training time, so the reference trainer's artifact is
 * reproducible byte for byte.
 */
public final class LocalProcessRunner implements TrainerRunner {

    private static final int MAX_ERROR_LENGTH = 2000;

    private final List<String> linearCommand;
    private final Map<String, List<String>> commands;
    private final Duration killGrace;

    /**
     * @param java      the java executable for the reference trainer
     * @param jvmArgs   e.g. {@code -Xmx512m}
     * @param classpath linear-model and its runtime libraries
     * @param commands  other trainers by name: the command line before the contract's arguments
     */
    public LocalProcessRunner(String java, List<String> jvmArgs, String classpath, Map<String, List<String>> commands,
                              Duration killGrace) {
        List<String> linear = new ArrayList<>();
        linear.add(java);
        linear.addAll(jvmArgs);
        linear.addAll(List.of("-cp", classpath, TrainerMain.class.getName()));
        this.linearCommand = List.copyOf(linear);
        this.commands = Map.copyOf(commands);
        this.killGrace = killGrace;
    }

    @Override
    public String name() {
        return RetrainPolicy.LOCAL_PROCESS;
    }

    /** The command line a request runs (for logs and tests). */
    public List<String> command(TrainingRequest request) {
        List<String> base = request.command() != null ? request.command()
                : RetrainPolicy.LINEAR_TRAINER.equals(request.trainer()) ? linearCommand : commands.get(request.trainer());
        if (base == null || base.isEmpty()) {
            throw new IllegalArgumentException("no command is configured for trainer '" + request.trainer()
                    + "' (retrain.trainers." + request.trainer() + ".command)");
        }
        List<String> command = new ArrayList<>(base);
        command.addAll(List.of("--dataset", request.datasetUri(), "--output", request.output().toString(),
                "--params", request.paramsJson()));
        return command;
    }

    @Override
    public TrainingRun start(TrainingRequest request) {
        List<String> command = command(request);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("SOURCE_DATE_EPOCH", Long.toString(request.trainedAt().getEpochSecond()));
        builder.environment().put("FLYWHEEL_RETRAIN_JOB", request.jobId());
        Path workDir = request.directory() != null ? request.directory() : request.output().getParent();
        if (workDir != null) {
            try {
                Files.createDirectories(workDir);
            } catch (IOException e) {
                throw new IllegalStateException("can't create " + workDir + ": " + e.getMessage(), e);
            }
            builder.directory(workDir.toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            CompletableFuture<TrainingResult> failed = CompletableFuture.completedFuture(
                    new TrainingResult(TrainingResult.FAILED, "could not start " + command.getFirst() + ": " + e.getMessage(), false));
            return run(failed, () -> { });
        }
        String shown = String.join(" ", command);
        request.log().accept("started process " + process.pid() + ": " + (shown.length() > 400 ? shown.substring(0, 400) + " …" : shown));
        AtomicReference<String> firstError = new AtomicReference<>();
        Thread out = pump(process.getInputStream(), request, null);
        Thread err = pump(process.getErrorStream(), request, firstError);
        AtomicBoolean cancelled = new AtomicBoolean();
        CompletableFuture<TrainingResult> result = new CompletableFuture<>();
        Thread.ofVirtual().name("retrain-process-" + process.pid()).start(() -> {
            try {
                int exit = process.waitFor();
                out.join();
                err.join();
                if (cancelled.get()) {
                    result.complete(TrainingResult.cancelledRun());
                } else {
                    String error = exit == 0 ? null : firstError.get() == null ? "exit code " + exit : firstError.get();
                    result.complete(new TrainingResult(exit, error, false));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                destroy(process);
                result.complete(TrainingResult.cancelledRun());
            }
        });
        return run(result, () -> {
            if (cancelled.compareAndSet(false, true)) {
                destroy(process);
            }
        });
    }

    private void destroy(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        Thread.ofVirtual().start(() -> {
            try {
                if (!process.waitFor(killGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Copies a stream to the job's log line by line; for stderr, remembers the first line (the trainer's one-line error). */
    private static Thread pump(InputStream stream, TrainingRequest request, AtomicReference<String> firstLine) {
        return Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (firstLine != null) {
                        if (!line.isBlank() && firstLine.get() == null) {
                            firstLine.set(line.length() > MAX_ERROR_LENGTH ? line.substring(0, MAX_ERROR_LENGTH) : line);
                        }
                        request.log().accept("stderr: " + line);
                    } else {
                        request.log().accept(line);
                    }
                }
            } catch (IOException e) {
                // the process went away: its exit code says the rest
            }
        });
    }

    private static TrainingRun run(CompletableFuture<TrainingResult> result, Runnable cancel) {
        return new TrainingRun() {
            @Override
            public CompletableFuture<TrainingResult> result() {
                return result;
            }

            @Override
            public void cancel() {
                cancel.run();
            }
        };
    }

    /**
     * The class path of the reference trainer as this JVM loaded it: the locations of linear-model
     * and of its libraries (Commons Math, Jackson). Empty when a location can't be told (then configure
     * {@code retrain.runner.local-process.classpath}).
     */
    public static String discoverClasspath() {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> type : List.of(TrainerMain.class, org.apache.commons.math3.linear.RealMatrix.class,
                com.fasterxml.jackson.databind.ObjectMapper.class, com.fasterxml.jackson.core.JsonFactory.class,
                com.fasterxml.jackson.annotation.JsonProperty.class)) {
            CodeSource source = type.getProtectionDomain() == null ? null : type.getProtectionDomain().getCodeSource();
            Path path = source == null ? null : toPath(source.getLocation());
            if (path == null || !Files.exists(path)) {
                return "";
            }
            entries.add(path.toString());
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static Path toPath(URL location) {
        if (location == null) {
            return null;
        }
        String url = location.toString();
        if (url.startsWith("jar:")) {
            int bang = url.indexOf("!/");
            url = url.substring(4, bang < 0 ? url.length() : bang);
        }
        try {
            return Path.of(new java.net.URI(url));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The java executable of this JVM (the reference trainer needs the same Java release). */
    public static String currentJava() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
