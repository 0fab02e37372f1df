package io.flywheel.llm.eval.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ChatClient} for any OpenAI-compatible endpoint: {@code POST {baseUrl}/chat/completions}
 * with a bearer key. Retries 429, 5xx, timeouts and connection failures with exponential backoff
 * (or the endpoint's {@code Retry-After} when it sends one), up to {@code maxRetries} times; other
 * 4xx fail at once with the endpoint's own message. Thread-safe: one instance is shared by the
 * workers of a run, and its rate limit holds for all of them together.
 */
public final class OpenAiChatClient implements ChatClient {

    /** The first backoff; each retry doubles it, up to {@link #MAX_BACKOFF}. */
    static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** A Retry-After beyond this is not waited out: the attempt fails instead of blocking a worker for long. */
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(120);
    private static final int MAX_ERROR_MESSAGE = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Where the endpoint is and how to treat it. {@code baseUrl} ends before {@code /chat/completions}
     * (e.g. {@code https://api.openai.com/v1}); {@code apiKey} may be null or blank for endpoints that
     * want none; {@code timeout} bounds each attempt; {@code requestsPerSecond} 0 means no limit.
     */
    public record Config(URI baseUrl, String apiKey, Duration timeout, int maxRetries, double requestsPerSecond) {

        public Config {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(timeout, "timeout");
            if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
                throw new IllegalArgumentException("the chat endpoint's base URL must be http or https, not " + baseUrl);
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the chat endpoint's timeout must be positive, not " + timeout);
            }
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries must be 0 or more, not " + maxRetries);
            }
            if (!(requestsPerSecond >= 0) || Double.isInfinite(requestsPerSecond)) {
                throw new IllegalArgumentException("requestsPerSecond must be 0 (no limit) or a positive number, not " + requestsPerSecond);
            }
        }

        /** Redacted: a config may end up in a log line. */
        @Override
        public String toString() {
            return "Config[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null || apiKey.isBlank() ? "none" : "***")
                    + ", timeout=" + timeout + ", maxRetries=" + maxRetries + ", requestsPerSecond=" + requestsPerSecond + "]";
        }
    }

    /** How the client waits; tests replace it to run without real sleeps. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Config config;
    private final URI completionsUri;
    private final HttpClient http;
    private final Sleeper sleeper;
    private final RateLimiter rateLimiter;

    public OpenAiChatClient(Config config) {
        this(config, d -> Thread.sleep(d));
    }

    OpenAiChatClient(Config config, Sleeper sleeper) {
        this.config = Objects.requireNonNull(config, "config");
        String base = config.baseUrl().toString();
        this.completionsUri = URI.create((base.endsWith("/") ? base : base + "/") + "chat/completions");
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.timeout())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.sleeper = sleeper;
        this.rateLimiter = new RateLimiter(config.requestsPerSecond());
    }

    @Override
    public ChatCompletion complete(ChatRequest request) throws ChatEndpointException {
        byte[] body = requestBody(request);
        Attempt last = null;
        for (int attempt = 0; attempt <= config.maxRetries(); attempt++) {
            if (last != null) {
                sleepOrFail(last.retryAfter() != null ? last.retryAfter() : backoff(attempt));
            }
            last = send(body);
            if (last.completion() != null) {
                return last.completion();
            }
            if (!last.retryable()) {
                throw last.failure();
            }
        }
        ChatEndpointException failure = last.failure();
        throw new ChatEndpointException("the chat endpoint failed " + (config.maxRetries() + 1) + " attempts; the last: "
                + failure.getMessage(), failure.status(), failure);
    }

    /** OpenAI's request: the parameters as given, then model and messages, which they may not replace. */
    static byte[] requestBody(ChatRequest request) {
        ObjectNode body = JSON.createObjectNode();
        for (Map.Entry<String, Object> parameter : request.parameters().entrySet()) {
            body.set(parameter.getKey(), JSON.valueToTree(parameter.getValue()));
        }
        body.put("model", request.model());
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage message : request.messages()) {
            messages.addObject().put("role", message.role()).put("content", message.content());
        }
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the chat request's parameters cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    /** One attempt's outcome: a completion, or a failure that is worth retrying or not. */
    private record Attempt(ChatCompletion completion, ChatEndpointException failure, boolean retryable, Duration retryAfter) {

        static Attempt ok(ChatCompletion completion) {
            return new Attempt(completion, null, false, null);
        }

        static Attempt failed(ChatEndpointException failure, boolean retryable, Duration retryAfter) {
            return new Attempt(null, failure, retryable, retryAfter);
        }
    }

    private Attempt send(byte[] body) {
        acquirePermit();
        HttpRequest.Builder builder = HttpRequest.newBuilder(completionsUri)
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (config.apiKey() != null && !config.apiKey().isBlank()) {
            builder.header("Authorization", "Bearer " + config.apiKey());
        }
        long started = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            return retryable(new ChatEndpointException("the chat endpoint did not answer within " + config.timeout(), 0, e), null);
        } catch (IOException e) {
            return retryable(new ChatEndpointException("could not reach the chat endpoint at " + completionsUri + ": " + e, 0, e), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChatEndpointException("interrupted while waiting for the chat endpoint", 0, e);
        }
        Duration latency = Duration.ofNanos(System.nanoTime() - started);
        int status = response.statusCode();
        if (status / 100 == 2) {
            return Attempt.ok(parseCompletion(response.body(), status, latency));
        }
        ChatEndpointException failure = new ChatEndpointException(
                "the chat endpoint answered HTTP " + status + ": " + errorMessage(response.body()), status, null);
        if (status == 429 || status / 100 == 5) {
            return retryable(failure, retryAfter(response).orElse(null));
        }
        return Attempt.failed(failure, false, null);
    }

    private Attempt retryable(ChatEndpointException failure, Duration retryAfter) {
        return Attempt.failed(failure, true, retryAfter);
    }

    /** The exponential backoff before retry {@code attempt} (1 = the first retry): 0.5 s, 1 s, 2 s ... capped at 30 s. */
    static Duration backoff(int attempt) {
        long millis = FIRST_BACKOFF.toMillis() << Math.min(attempt - 1, 16);
        return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
    }

    private void sleepOrFail(Duration wait) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChatEndpointException("interrupted while waiting to retry the chat endpoint", 0, e);
        }
    }

    private void acquirePermit() {
        Duration wait = rateLimiter.reserve(System.nanoTime());
        if (!wait.isZero()) {
            sleepOrFail(wait);
        }
    }

    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(OpenAiChatClient::parseRetryAfter);
    }

    /** Retry-After is seconds or an HTTP date (RFC 9110 10.2.3); anything else, or too long a wait, is ignored. */
    static Optional<Duration> parseRetryAfter(String value) {
        String v = value.trim();
        Duration wait;
        try {
            wait = Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                wait = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
        if (wait.isNegative()) {
            wait = Duration.ZERO;
        }
        return wait.compareTo(MAX_RETRY_AFTER) > 0 ? Optional.empty() : Optional.of(wait);
    }

    static ChatCompletion parseCompletion(String body, int status, Duration latency) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new ChatEndpointException("the chat endpoint answered HTTP " + status + " with a body that is not JSON: "
                    + abbreviate(body), status, e);
        }
        JsonNode content = root == null ? null : root.path("choices").path(0).path("message").path("content");
        if (content == null || !content.isTextual()) {
            throw new ChatEndpointException("the chat endpoint's answer has no choices[0].message.content: " + abbreviate(body), status, null);
        }
        JsonNode usage = root.path("usage");
        TokenUsage tokens = usage.isObject()
                ? new TokenUsage(usage.path("prompt_tokens").asLong(0), usage.path("completion_tokens").asLong(0),
                        usage.path("total_tokens").asLong(usage.path("prompt_tokens").asLong(0) + usage.path("completion_tokens").asLong(0)))
                : TokenUsage.NONE;
        return new ChatCompletion(content.asText(), root.path("model").asText(null), tokens, latency);
    }

    /** The endpoint's own message: OpenAI's {@code error.message}, else the body itself, shortened. */
    static String errorMessage(String body) {
        if (body == null || body.isBlank()) {
            return "(no body)";
        }
        try {
            JsonNode root = JSON.readTree(body);
            JsonNode message = root == null ? null : root.path("error").path("message");
            if (message != null && message.isTextual()) {
                return abbreviate(message.asText());
            }
            if (root != null && root.path("error").isTextual()) {
                return abbreviate(root.path("error").asText());
            }
        } catch (IOException notJson) {
            // fall through to the raw body
        }
        return abbreviate(body);
    }

    private static String abbreviate(String text) {
        String t = text == null ? "" : text.strip();
        return t.length() <= MAX_ERROR_MESSAGE ? t : t.substring(0, MAX_ERROR_MESSAGE) + "...";
    }

    /**
     * Spaces requests evenly at the configured rate, across every thread using the client: each caller
     * reserves the next free slot and waits until it comes. No burst, so a provider's per-second limit
     * is never exceeded by a run that starts many workers at once.
     */
    static final class RateLimiter {
        private final long intervalNanos;
        private long nextSlot = Long.MIN_VALUE;

        RateLimiter(double requestsPerSecond) {
            this.intervalNanos = requestsPerSecond <= 0 ? 0 : Math.max(1, Math.round(1e9 / requestsPerSecond));
        }

        synchronized Duration reserve(long now) {
            if (intervalNanos == 0) {
                return Duration.ZERO;
            }
            long slot = nextSlot == Long.MIN_VALUE || nextSlot - now < 0 ? now : nextSlot;
            nextSlot = slot + intervalNanos;
            return Duration.ofNanos(slot - now);
        }
    }
}
