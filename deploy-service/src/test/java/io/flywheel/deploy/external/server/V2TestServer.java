package io.flywheel.deploy.external.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.flywheel.onnx.OnnxModel;
import io.flywheel.onnx.Tensor;
import io.flywheel.onnx.ValueSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small Open Inference Protocol v2 server (REST) for the tests of external versions, run in a
 * process of its own: ONNX models on ONNX Runtime (onnx-model's {@link OnnxModel}) behind the JDK's
 * {@link HttpServer}.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp ... io.flywheel.deploy.external.server.V2TestServer \
 *     --port=0 --model=cancer=/path/breast_cancer_logreg.onnx [--model=...] [--token=secret]
 * </pre>
 *
 * Prints {@code LISTENING <port>} on its first line of standard output, and exits when its standard
 * input closes (so it never outlives the test that started it).
 *
 * <p>Protocol: {@code GET /v2}, {@code /v2/health/live}, {@code /v2/health/ready},
 * {@code GET /v2/models/<name>} (metadata: inputs and outputs with v2 datatypes, -1 for a variable
 * axis; a ZipMap output as FP32 {@code [-1, classes]}), {@code GET /v2/models/<name>/ready},
 * {@code POST /v2/models/<name>/infer} (tensors by name; outputs flat, row-major; a classifier's
 * probabilities carry {@code parameters.labels}). Errors are {@code {"error": "..."}}: 400 for input
 * ONNX Runtime or the model refuse, 404 for an unknown model.
 *
 * <p>Knobs for the tests: {@code --token=T} requires {@code Authorization: Bearer T} on
 * {@code /v2/models/**} (401 otherwise). {@code POST /control {"delay_ms": 500, "fail": "none"|
 * "500"|"503"|"unready"|"redirect"|"garbage"}} changes the behaviour of later model calls;
 * {@code GET /control} answers the counts of model calls received ({@code infer}, {@code ready},
 * {@code metadata}) and whether the last one carried an Authorization header.
 */
public final class V2TestServer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, OnnxModel> models;
    private final String token;
    private final AtomicLong delayMs = new AtomicLong();
    private final AtomicReference<String> fail = new AtomicReference<>("none");
    private final AtomicInteger infers = new AtomicInteger();
    private final AtomicInteger readies = new AtomicInteger();
    private final AtomicInteger metadatas = new AtomicInteger();
    private volatile boolean lastHadAuthorization;

    private V2TestServer(Map<String, OnnxModel> models, String token) {
        this.models = models;
        this.token = token;
    }

    public static void main(String[] args) throws IOException {
        int port = 0;
        String token = null;
        Map<String, OnnxModel> models = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--port=")) {
                port = Integer.parseInt(arg.substring(7));
            } else if (arg.startsWith("--token=")) {
                token = arg.substring(8);
            } else if (arg.startsWith("--model=")) {
                String[] nameAndPath = arg.substring(8).split("=", 2);
                models.put(nameAndPath[0], OnnxModel.load(Files.readAllBytes(Path.of(nameAndPath[1]))));
            } else {
                throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        V2TestServer server = new V2TestServer(models, token);
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor()); // a delayed answer holds no other
        http.createContext("/", server::handle);
        http.start();
        System.out.println("LISTENING " + http.getAddress().getPort());
        System.out.flush();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                InputStream in = System.in;
                while (in.read() >= 0) {
                    // wait for the parent to close our input
                }
            } catch (IOException ignored) {
                // the parent is gone
            }
            System.exit(0);
        });
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/control")) {
                control(exchange, method);
                return;
            }
            if (path.equals("/v2") || path.equals("/v2/health/live") || path.equals("/v2/health/ready")) {
                send(exchange, 200, path.equals("/v2") ? JSON.createObjectNode().put("name", "flywheel-v2-test-server").put("version", "1")
                        : JSON.createObjectNode().put(path.endsWith("live") ? "live" : "ready", true));
                return;
            }
            if (!path.startsWith("/v2/models/")) {
                error(exchange, 404, "no such path " + path);
                return;
            }
            String[] parts = path.substring("/v2/models/".length()).split("/");
            String name = parts[0];
            String action = parts.length > 1 ? parts[1] : "";
            switch (action) {
                case "infer" -> infers.incrementAndGet();
                case "ready" -> readies.incrementAndGet();
                default -> metadatas.incrementAndGet();
            }
            lastHadAuthorization = exchange.getRequestHeaders().containsKey("Authorization");
            if (token != null && !("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                error(exchange, 401, "a valid bearer token is required");
                return;
            }
            long delay = delayMs.get();
            if (delay > 0) {
                Thread.sleep(delay);
            }
            String mode = fail.get();
            switch (mode) {
                case "500" -> {
                    error(exchange, 500, "the model server failed (test knob)");
                    return;
                }
                case "503" -> {
                    exchange.getResponseHeaders().add("Retry-After", "7");
                    error(exchange, 503, "the model server is overloaded (test knob)");
                    return;
                }
                case "redirect" -> {
                    exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
                    exchange.sendResponseHeaders(302, -1);
                    return;
                }
                case "garbage" -> {
                    byte[] body = "<html>not v2</html>".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    return;
                }
                default -> {
                }
            }
            OnnxModel model = models.get(name);
            if (model == null) {
                error(exchange, 404, "no model '" + name + "'");
                return;
            }
            switch (action) {
                case "" -> send(exchange, 200, metadata(name, model));
                case "ready" -> {
                    if ("unready".equals(mode)) {
                        error(exchange, 503, "not ready (test knob)");
                    } else {
                        send(exchange, 200, JSON.createObjectNode().put("name", name).put("ready", true));
                    }
                }
                case "infer" -> {
                    if (!"POST".equals(method)) {
                        error(exchange, 405, "POST an inference request");
                        return;
                    }
                    infer(exchange, name, model);
                }
                default -> error(exchange, 404, "no such path " + path);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            error(exchange, 500, String.valueOf(e));
        }
    }

    private void control(HttpExchange exchange, String method) throws IOException {
        if ("POST".equals(method)) {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            if (body.has("delay_ms")) {
                delayMs.set(body.get("delay_ms").asLong());
            }
            if (body.has("fail")) {
                fail.set(body.get("fail").asText());
            }
        }
        ObjectNode state = JSON.createObjectNode().put("delay_ms", delayMs.get()).put("fail", fail.get())
                .put("infer", infers.get()).put("ready", readies.get()).put("metadata", metadatas.get())
                .put("last_had_authorization", lastHadAuthorization);
        send(exchange, 200, state);
    }

    private static ObjectNode metadata(String name, OnnxModel model) {
        ObjectNode out = JSON.createObjectNode().put("name", name).put("platform", "onnxruntime");
        out.putArray("versions").add("1");
        ArrayNode inputs = out.putArray("inputs");
        for (ValueSpec spec : model.graph().inputs()) {
            inputs.add(spec(spec.name(), spec.v2Datatype(), spec.shape()));
        }
        ArrayNode outputs = out.putArray("outputs");
        for (ValueSpec spec : model.graph().outputs()) {
            if (spec.isSequenceOfMaps()) { // a ZipMap: served as a [rows, classes] matrix
                outputs.add(spec(spec.name(), "FP32", List.of(-1L, -1L)));
            } else {
                outputs.add(spec(spec.name(), spec.v2Datatype(), spec.shape()));
            }
        }
        return out;
    }

    private static ObjectNode spec(String name, String datatype, List<Long> shape) {
        ObjectNode node = JSON.createObjectNode().put("name", name).put("datatype", datatype);
        ArrayNode dims = node.putArray("shape");
        if (shape != null) {
            shape.forEach(dims::add);
        }
        return node;
    }

    private void infer(HttpExchange exchange, String name, OnnxModel model) throws IOException {
        JsonNode request;
        try {
            request = JSON.readTree(exchange.getRequestBody());
        } catch (IOException e) {
            error(exchange, 400, "the body is not JSON: " + e.getMessage());
            return;
        }
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        Map<String, Tensor> outputs;
        try {
            JsonNode list = request.path("inputs");
            if (!list.isArray() || list.isEmpty()) {
                throw new IllegalArgumentException("inputs is required");
            }
            for (JsonNode input : list) {
                inputs.put(input.path("name").asText(), tensor(input));
            }
            outputs = model.run(inputs);
        } catch (IllegalArgumentException e) {
            error(exchange, 400, e.getMessage());
            return;
        }
        ObjectNode answer = JSON.createObjectNode().put("model_name", name).put("model_version", "1");
        if (request.hasNonNull("id")) {
            answer.put("id", request.get("id").asText());
        }
        ArrayNode out = answer.putArray("outputs");
        for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
            out.add(output(e.getKey(), e.getValue()));
        }
        send(exchange, 200, answer);
    }

    /** A v2 JSON tensor as onnx-model's Tensor; data may be flat or nested (the protocol allows both). */
    private static Tensor tensor(JsonNode input) {
        String name = input.path("name").asText();
        String datatype = input.path("datatype").asText();
        List<JsonNode> values = new ArrayList<>();
        flatten(input.path("data"), values);
        JsonNode shapeNode = input.path("shape");
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
        }
        int n = values.size();
        return switch (datatype) {
            case "FP32" -> {
                float[] d = new float[n];
                for (int i = 0; i < n; i++) {
                    d[i] = (float) number(name, values.get(i)).doubleValue();
                }
                yield Tensor.fp32(d, shape);
            }
            case "FP64" -> {
                double[] d = new double[n];
                for (int i = 0; i < n; i++) {
                    d[i] = number(name, values.get(i)).doubleValue();
                }
                yield Tensor.fp64(d, shape);
            }
            case "INT64", "INT32" -> {
                long[] d = new long[n];
                for (int i = 0; i < n; i++) {
                    JsonNode v = values.get(i);
                    if (!v.isIntegralNumber()) {
                        throw new IllegalArgumentException("input '" + name + "' is " + datatype + " but element " + i + " is " + v);
                    }
                    d[i] = v.asLong();
                }
                yield Tensor.int64(d, shape);
            }
            case "BOOL" -> {
                boolean[] d = new boolean[n];
                for (int i = 0; i < n; i++) {
                    if (!values.get(i).isBoolean()) {
                        throw new IllegalArgumentException("input '" + name + "' is BOOL but element " + i + " is " + values.get(i));
                    }
                    d[i] = values.get(i).asBoolean();
                }
                yield Tensor.bool(d, shape);
            }
            case "BYTES" -> {
                String[] d = new String[n];
                for (int i = 0; i < n; i++) {
                    d[i] = values.get(i).asText();
                }
                yield Tensor.bytes(d, shape);
            }
            default -> throw new IllegalArgumentException("input '" + name + "' has datatype '" + datatype + "', which this server does not take");
        };
    }

    private static Number number(String name, JsonNode v) {
        if (!v.isNumber()) {
            throw new IllegalArgumentException("input '" + name + "' takes numbers, got " + v);
        }
        return v.numberValue();
    }

    private static void flatten(JsonNode node, List<JsonNode> into) {
        if (node.isArray()) {
            node.forEach(child -> flatten(child, into));
        } else if (!node.isMissingNode()) {
            into.add(node);
        }
    }

    private static ObjectNode output(String name, Tensor t) {
        ObjectNode node = JSON.createObjectNode().put("name", name).put("datatype", t.datatype());
        ArrayNode shape = node.putArray("shape");
        for (long d : t.shape()) {
            shape.add(d);
        }
        ArrayNode data = node.putArray("data");
        switch (t.datatype()) {
            case "FP32" -> {
                for (float f : t.floats()) {
                    data.add(f);
                }
            }
            case "FP64" -> {
                for (double d : t.doubles()) {
                    data.add(d);
                }
            }
            case "INT64" -> {
                for (long l : t.longs()) {
                    data.add(l);
                }
            }
            case "INT32" -> {
                for (int i : t.ints()) {
                    data.add(i);
                }
            }
            case "BOOL" -> {
                for (boolean b : t.booleans()) {
                    data.add(b);
                }
            }
            default -> {
                for (String s : t.strings()) {
                    data.add(s);
                }
            }
        }
        if (t.labels() != null) {
            ArrayNode labels = node.putObject("parameters").putArray("labels");
            t.labels().forEach(labels::add);
        }
        return node;
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        send(exchange, status, JSON.createObjectNode().put("error", message));
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
