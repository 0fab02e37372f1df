package io.flywheel.retrain.llm.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The external OpenAI-compatible endpoint, played by a JDK HttpServer inside the test: it answers a
 * chat completion with the last user message in capitals (usage: its characters), except that a message
 * holding BUSY gets one 429 before it is answered, and one holding FAIL gets a 400 every time.
 * Every request is kept for the test to look at.
 */
public class OpenAiEndpoint implements QuarkusTestResourceLifecycleManager {

    static final String API_KEY = "sk-test-endpoint";
    static final List<JsonNode> REQUESTS = new CopyOnWriteArrayList<>();
    static final List<String> AUTHORIZATIONS = new CopyOnWriteArrayList<>();
    private static final Map<String, AtomicInteger> SEEN = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/v1/chat/completions", this::complete);
        server.start();
        return Map.of("flywheel.llm.endpoint.base-url", "http://127.0.0.1:" + server.getAddress().getPort() + "/v1",
                "flywheel.llm.endpoint.api-key", API_KEY);
    }

    private void complete(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        REQUESTS.add(body);
        AUTHORIZATIONS.add(exchange.getRequestHeaders().getFirst("Authorization"));
        String user = "";
        for (JsonNode m : body.path("messages")) {
            if ("user".equals(m.path("role").asText())) {
                user = m.path("content").asText();
            }
        }
        int seen = SEEN.computeIfAbsent(user, k -> new AtomicInteger()).incrementAndGet();
        if (user.contains("FAIL")) {
            send(exchange, 400, "{\"error\": {\"message\": \"this request is refused\", \"type\": \"invalid_request_error\"}}");
            return;
        }
        if (user.contains("BUSY") && seen == 1) {
            exchange.getResponseHeaders().add("Retry-After", "0");
            send(exchange, 429, "{\"error\": {\"message\": \"rate limited\", \"type\": \"rate_limit_error\"}}");
            return;
        }
        String answer = user.toUpperCase(java.util.Locale.ROOT);
        ObjectNode out = JSON.createObjectNode();
        out.put("id", "chatcmpl-test");
        out.put("object", "chat.completion");
        out.put("model", body.path("model").asText());
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", answer);
        choice.put("finish_reason", "stop");
        out.putObject("usage").put("prompt_tokens", user.length()).put("completion_tokens", answer.length())
                .put("total_tokens", user.length() + answer.length());
        send(exchange, 200, JSON.writeValueAsString(out));
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
