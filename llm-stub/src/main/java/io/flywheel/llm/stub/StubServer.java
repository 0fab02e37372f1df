package io.flywheel.llm.stub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stub's HTTP side: OpenAI's {@code POST /v1/chat/completions} (no streaming), {@code GET /v1/models}
 * and {@code GET /health}, with OpenAI-style error bodies. What it answers is {@link StubRules}'; the
 * failure injection by model name (flaky-429, flaky-500, slow-&lt;ms&gt;) is here. llm-stub/README.md.
 */
public final class StubServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 4 * 1024 * 1024;
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");
    private static final Pattern SLOW = Pattern.compile("slow-(\\d{1,5})(?:-.*)?");
    static final List<String> MODELS = List.of("stub-1", "flaky-429", "flaky-500", "slow-2000");

    private final HttpServer server;
    private final ExecutorService executor;
    /** Calls per model name, for the flaky models' "every other call fails". */
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();

    private StubServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts listening on host:port (port 0 picks a free one). */
    public static StubServer start(String host, int port) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 64);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        StubServer stub = new StubServer(http, executor);
        http.setExecutor(executor);
        http.createContext("/", stub::handle);
        http.start();
        return stub;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The base URL clients are given, e.g. http://127.0.0.1:8090/v1. */
    public URI baseUrl() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + port() + "/v1");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** An error answered as OpenAI does: {"error": {"message", "type", "param", "code"}}. */
    static final class StubError extends RuntimeException {
        final int status;
        final String type;
        final Map<String, String> headers;

        StubError(int status, String type, String message) {
            this(status, type, message, Map.of());
        }

        StubError(int status, String type, String message, Map<String, String> headers) {
            super(message);
            this.status = status;
            this.type = type;
            this.headers = headers;
        }

        static StubError invalid(String message) {
            return new StubError(400, "invalid_request_error", message);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            try {
                JsonNode answer = switch (path) {
                    case "/v1/chat/completions", "/chat/completions" -> {
                        requireMethod(method, "POST");
                        yield chatCompletion(readBody(exchange));
                    }
                    case "/v1/models", "/models" -> {
                        requireMethod(method, "GET");
                        yield models();
                    }
                    case "/health" -> {
                        requireMethod(method, "GET");
                        yield JSON.createObjectNode().put("status", "UP");
                    }
                    default -> throw new StubError(404, "invalid_request_error", "no route " + method + " " + path
                            + "; llm-stub serves POST /v1/chat/completions, GET /v1/models and GET /health");
                };
                send(exchange, 200, answer, Map.of());
            } catch (StubError e) {
                ObjectNode body = JSON.createObjectNode();
                body.putObject("error").put("message", e.getMessage()).put("type", e.type).putNull("param").putNull("code");
                send(exchange, e.status, body, e.headers);
            } catch (RuntimeException e) {
                ObjectNode body = JSON.createObjectNode();
                body.putObject("error").put("message", "llm-stub failed: " + e).put("type", "server_error");
                send(exchange, 500, body, Map.of());
            }
        }
    }

    private static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new StubError(405, "invalid_request_error", "method " + method + " not allowed here; use " + allowed);
        }
    }

    private static JsonNode readBody(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw new StubError(413, "invalid_request_error", "the request body is over " + MAX_BODY + " bytes");
        }
        try {
            JsonNode body = JSON.readTree(bytes);
            if (body == null || !body.isObject()) {
                throw StubError.invalid("the request body must be a JSON object");
            }
            return body;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw StubError.invalid("could not parse the JSON body of the request: " + e.getOriginalMessage());
        }
    }

    private static void send(HttpExchange exchange, int status, JsonNode body, Map<String, String> headers) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static JsonNode models() {
        ObjectNode list = JSON.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        for (String id : MODELS) {
            data.addObject().put("id", id).put("object", "model").put("created", 0).put("owned_by", "flywheel-llm-stub");
        }
        return list;
    }

    private JsonNode chatCompletion(JsonNode body) {
        JsonNode modelNode = body.get("model");
        if (modelNode == null || !modelNode.isTextual() || modelNode.asText().isBlank()) {
            throw StubError.invalid("you must provide a model parameter (a non-empty string)");
        }
        String model = modelNode.asText();
        if (body.path("stream").asBoolean(false)) {
            throw StubError.invalid("llm-stub does not stream; send \"stream\": false or leave it out");
        }
        if (body.has("n") && body.get("n").asInt(-1) != 1) {
            throw StubError.invalid("llm-stub answers one choice; 'n' must be 1");
        }
        List<StubRules.Message> messages = messages(body.get("messages"));
        Map<String, Object> parameters = new LinkedHashMap<>();
        body.properties().forEach(e -> {
            if (e.getValue().isNumber()) {
                parameters.put(e.getKey(), e.getValue().numberValue());
            }
        });
        Integer maxTokens = positiveInt(body, "max_tokens");
        if (maxTokens == null) {
            maxTokens = positiveInt(body, "max_completion_tokens");
        }

        injectFailure(model);

        String content = StubRules.reply(messages, parameters);
        String finishReason = "stop";
        if (maxTokens != null && StubRules.tokens(content) > maxTokens) {
            String[] words = content.strip().split("\\s+");
            content = String.join(" ", java.util.Arrays.copyOf(words, maxTokens));
            finishReason = "length";
        }
        int promptTokens = messages.stream().mapToInt(m -> StubRules.tokens(m.content())).sum();
        int completionTokens = StubRules.tokens(content);

        ObjectNode answer = JSON.createObjectNode()
                .put("id", "chatcmpl-stub-" + digest(model, messages))
                .put("object", "chat.completion")
                .put("created", Instant.now().getEpochSecond())
                .put("model", model);
        ObjectNode choice = answer.putArray("choices").addObject().put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", content);
        choice.put("finish_reason", finishReason);
        answer.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        return answer;
    }

    /** flaky-429 / flaky-500: the 1st, 3rd, 5th ... call of that model name fails; slow-N waits N ms. */
    private void injectFailure(String model) {
        if (model.startsWith("flaky-429") || model.startsWith("flaky-500")) {
            long call = calls.computeIfAbsent(model, m -> new AtomicLong()).incrementAndGet();
            if (call % 2 == 1) {
                if (model.startsWith("flaky-429")) {
                    throw new StubError(429, "rate_limit_exceeded", "Rate limit reached for " + model
                            + " (llm-stub fails every other call of this model); retry after 1 s", Map.of("Retry-After", "1"));
                }
                throw new StubError(500, "server_error", "The server had an error while processing your request (llm-stub fails every other call of "
                        + model + ")");
            }
        }
        Matcher slow = SLOW.matcher(model);
        if (slow.matches()) {
            try {
                Thread.sleep(Math.min(Long.parseLong(slow.group(1)), 60_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static List<StubRules.Message> messages(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw StubError.invalid("'messages' must be a non-empty array of {\"role\", \"content\"}");
        }
        List<StubRules.Message> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode m = node.get(i);
            String role = m.path("role").asText("");
            if (!ROLES.contains(role)) {
                throw StubError.invalid("messages[" + i + "].role must be one of " + ROLES + ", not '" + role + "'");
            }
            out.add(new StubRules.Message(role.equals("developer") ? "system" : role, content(m.get("content"), i)));
        }
        return out;
    }

    /** A string, or OpenAI's content parts, of which the text parts count. */
    private static String content(JsonNode content, int i) {
        if (content != null && content.isTextual()) {
            return content.asText();
        }
        if (content != null && content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (part.path("type").asText().equals("text")) {
                    text.append(part.path("text").asText());
                }
            }
            return text.toString();
        }
        throw StubError.invalid("messages[" + i + "].content must be a string or an array of content parts");
    }

    private static Integer positiveInt(JsonNode body, String key) {
        JsonNode v = body.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1) {
            throw StubError.invalid("'" + key + "' must be a positive integer");
        }
        return v.asInt();
    }

    private static String digest(String model, List<StubRules.Message> messages) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(model.getBytes(StandardCharsets.UTF_8));
            for (StubRules.Message m : messages) {
                sha.update((byte) 0);
                sha.update(m.role().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(m.content().getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
