package io.flywheel.retrain.llm.experiment.interim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.flywheel.llm.eval.chat.ChatClient;
import io.flywheel.llm.eval.chat.ChatCompletion;
import io.flywheel.llm.eval.chat.ChatEndpointException;
import io.flywheel.llm.eval.chat.ChatRequest;
import io.flywheel.llm.eval.chat.TokenUsage;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** INTERIM stand-in for llm-eval's OpenAiChatClient (see package-info): POST {base}/chat/completions, retrying 429 and 5xx. */
public final class OpenAiChatClient implements ChatClient {

    public record Config(URI baseUrl, String apiKey, Duration timeout, int maxRetries, double requestsPerSecond) {
    }

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final Config config;
    private final HttpClient http;
    private final Object pace = new Object();
    private long nextStart;

    public OpenAiChatClient(Config config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
    }

    @Override
    public ChatCompletion complete(ChatRequest request) throws ChatEndpointException {
        Map<String, Object> body = new LinkedHashMap<>(request.parameters());
        body.put("model", request.model());
        body.put("messages", request.messages().stream().map(m -> Map.of("role", m.role(), "content", m.content())).toList());
        String base = config.baseUrl().toString().replaceAll("/+$", "");
        for (int attempt = 0; ; attempt++) {
            pace();
            long started = System.nanoTime();
            int status = 0;
            String detail;
            try {
                HttpRequest.Builder call = HttpRequest.newBuilder(URI.create(base + "/chat/completions")).timeout(config.timeout())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
                if (config.apiKey() != null && !config.apiKey().isBlank()) {
                    call.header("Authorization", "Bearer " + config.apiKey());
                }
                HttpResponse<String> response = http.send(call.build(), HttpResponse.BodyHandlers.ofString());
                status = response.statusCode();
                if (status / 100 == 2) {
                    JsonNode answer = JSON.readTree(response.body());
                    JsonNode usage = answer.path("usage");
                    return new ChatCompletion(answer.path("choices").path(0).path("message").path("content").asText(""),
                            answer.path("model").asText(request.model()),
                            new TokenUsage(usage.path("prompt_tokens").asLong(), usage.path("completion_tokens").asLong(),
                                    usage.path("total_tokens").asLong()),
                            Duration.ofNanos(System.nanoTime() - started));
                }
                detail = "the chat endpoint answered " + status + ": " + response.body();
            } catch (IOException e) {
                detail = "the chat endpoint did not answer: " + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChatEndpointException("interrupted", 0, e);
            }
            boolean retryable = status == 0 || status == 429 || status >= 500;
            if (!retryable || attempt >= config.maxRetries()) {
                throw new ChatEndpointException(detail, status, null);
            }
            try {
                Thread.sleep(Math.min(2000, 100L << attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChatEndpointException("interrupted", 0, e);
            }
        }
    }

    private void pace() {
        if (config.requestsPerSecond() <= 0) {
            return;
        }
        long wait;
        synchronized (pace) {
            long now = System.nanoTime();
            long interval = (long) (1_000_000_000L / config.requestsPerSecond());
            long start = Math.max(now, nextStart);
            nextStart = start + interval;
            wait = start - now;
        }
        if (wait > 0) {
            try {
                Thread.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

}
