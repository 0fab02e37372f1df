package io.flywheel.deploy.external.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.onnx.OnnxModel;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link V2TestServer} as a child process (java from {@code java.home}, with ONNX Runtime's
 * native-access flags) on a free port, and turns its knobs. The child's classpath is built from
 * where the classes it needs were loaded from, so it does not depend on how the test runner passes
 * its own classpath. Closing stops it; so does the end of this JVM (its standard input closes).
 */
public final class V2ServerProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final StringBuilder output = new StringBuilder();

    private V2ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the server with these arguments (see {@link V2TestServer}) and waits until it listens. */
    public static V2ServerProcess start(List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("--sun-misc-unsafe-memory-access=allow");
        command.add("-Xmx128m");
        command.add("-cp");
        command.add(classpath());
        command.add(V2TestServer.class.getName());
        command.add("--port=0");
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> listening = CompletableFuture.supplyAsync(() -> {
            try {
                StringBuilder seen = new StringBuilder();
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("LISTENING ")) {
                        return Integer.parseInt(line.substring("LISTENING ".length()).strip());
                    }
                    seen.append(line).append('\n');
                }
                throw new IllegalStateException("the v2 test server exited before listening:\n" + seen);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        int port;
        try {
            port = listening.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("the v2 test server did not start", e);
        }
        V2ServerProcess server = new V2ServerProcess(process, port);
        Thread.ofPlatform().daemon().start(() -> { // keep draining its output so it never blocks on a full pipe
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    synchronized (server.output) {
                        server.output.append(line).append('\n');
                    }
                }
            } catch (IOException ignored) {
                // it ended
            }
        });
        return server;
    }

    /** test-classes (the server), onnx-model, ONNX Runtime, protobuf (used by onnx-model) and Jackson. */
    private static String classpath() {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> c : List.of(V2TestServer.class, OnnxModel.class, ai.onnxruntime.OrtEnvironment.class,
                com.google.protobuf.CodedInputStream.class, ObjectMapper.class, JsonFactory.class, JsonInclude.class)) {
            try {
                entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    public int port() {
        return port;
    }

    /** The base URL of a model, as an external version's endpoint names it. */
    public String modelUrl(String model) {
        return "http://127.0.0.1:" + port + "/v2/models/" + model;
    }

    /** Sets the knobs ({@code delay_ms}, {@code fail}) and answers the server's counts. */
    public JsonNode control(java.util.Map<String, ?> knobs) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/control"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(knobs))).build();
            return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofByteArray()).body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The server's counts: {@code infer}, {@code ready}, {@code metadata}, {@code last_had_authorization}. */
    public JsonNode stats() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/control")).GET().build();
            return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofByteArray()).body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What the server printed after it started (for failure messages). */
    public String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close(); // the server exits when its input closes
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        http.close();
    }
}
