package io.flywheel.llm.eval.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client's logic against a JDK HttpServer that plays the endpoint, answer by answer. */
class OpenAiChatClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OK_BODY = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-test-0613",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Paris"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":12,"completion_tokens":1,"total_tokens":13}}""";

    /** One scripted answer: status, body, extra headers, and a delay before answering. */
    record Answer(int status, String body, Map<String, String> headers, long delayMillis) {
        static Answer of(int status, String body) {
            return new Answer(status, body, Map.of(), 0);
        }
    }

    private HttpServer server;
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    record Received(String path, String authorization, JsonNode body) {
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        received.add(new Received(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("Authorization"),
                JSON.readTree(exchange.getRequestBody().readAllBytes())));
        Answer answer = script.poll();
        if (answer == null) {
            answer = Answer.of(200, OK_BODY);
        }
        if (answer.delayMillis() > 0) {
            try {
                Thread.sleep(answer.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    private OpenAiChatClient client(String apiKey, Duration timeout, int maxRetries) {
        return new OpenAiChatClient(new OpenAiChatClient.Config(baseUrl(), apiKey, timeout, maxRetries, 0), sleeps::add);
    }

    private static ChatRequest question() {
        return new ChatRequest("gpt-test", List.of(ChatMessage.system("Answer in one word."), ChatMessage.user("Capital of France?")),
                Map.of("temperature", 0, "max_tokens", 16));
    }

    @Test
    void postsTheRequestWithTheKeyAndParsesContentModelAndUsage() {
        ChatCompletion completion = client("sk-test-123", Duration.ofSeconds(5), 2).complete(question());

        assertThat(completion.content()).isEqualTo("Paris");
        assertThat(completion.model()).isEqualTo("gpt-test-0613");
        assertThat(completion.usage()).isEqualTo(new TokenUsage(12, 1, 13));
        assertThat(completion.latency()).isPositive();
        assertThat(received).hasSize(1);
        Received request = received.getFirst();
        assertThat(request.path()).isEqualTo("/v1/chat/completions");
        assertThat(request.authorization()).isEqualTo("Bearer sk-test-123");
        assertThat(request.body().path("model").asText()).isEqualTo("gpt-test");
        assertThat(request.body().path("temperature").asInt()).isZero();
        assertThat(request.body().path("max_tokens").asInt()).isEqualTo(16);
        assertThat(request.body().path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(request.body().path("messages").get(1).path("content").asText()).isEqualTo("Capital of France?");
        assertThat(sleeps).isEmpty();
    }

    @Test
    void sendsNoAuthorizationWithoutAKeyAndParametersCannotReplaceTheModel() {
        ChatRequest request = new ChatRequest("gpt-test", List.of(ChatMessage.user("hi")), Map.of("model", "other", "seed", 7));
        client(null, Duration.ofSeconds(5), 0).complete(request);

        assertThat(received.getFirst().authorization()).isNull();
        assertThat(received.getFirst().body().path("model").asText()).isEqualTo("gpt-test");
        assertThat(received.getFirst().body().path("seed").asInt()).isEqualTo(7);
    }

    @Test
    void aMissingUsageIsNone() {
        script.add(Answer.of(200, """
                {"model":"m","choices":[{"message":{"role":"assistant","content":"ok"}}]}"""));
        assertThat(client("k", Duration.ofSeconds(5), 0).complete(question()).usage()).isEqualTo(TokenUsage.NONE);
    }

    @Test
    void retriesA429AfterItsRetryAfterThenSucceeds() {
        script.add(new Answer(429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"rate_limit\"}}", Map.of("Retry-After", "2"), 0));

        ChatCompletion completion = client("k", Duration.ofSeconds(5), 3).complete(question());

        assertThat(completion.content()).isEqualTo("Paris");
        assertThat(received).hasSize(2);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void retries5xxWithExponentialBackoffAndGivesUpWithTheEndpointsMessage() {
        for (int i = 0; i < 3; i++) {
            script.add(Answer.of(503, "{\"error\":{\"message\":\"The server is overloaded\",\"type\":\"server_error\"}}"));
        }

        assertThatThrownBy(() -> client("k", Duration.ofSeconds(5), 2).complete(question()))
                .isInstanceOfSatisfying(ChatEndpointException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.getMessage()).contains("3 attempts").contains("The server is overloaded");
                });
        assertThat(received).hasSize(3);
        assertThat(sleeps).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void aNonRetryable4xxFailsAtOnceWithTheEndpointsMessageAndStatus() {
        script.add(Answer.of(400, "{\"error\":{\"message\":\"The model `gpt-nope` does not exist\",\"type\":\"invalid_request_error\"}}"));

        assertThatThrownBy(() -> client("k", Duration.ofSeconds(5), 5).complete(question()))
                .isInstanceOfSatisfying(ChatEndpointException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("HTTP 400").contains("The model `gpt-nope` does not exist");
                });
        assertThat(received).hasSize(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void anUnauthorizedKeyIsNotRetriedAndAPlainTextBodyIsTheMessage() {
        script.add(Answer.of(401, "invalid api key"));

        assertThatThrownBy(() -> client("wrong", Duration.ofSeconds(5), 5).complete(question()))
                .isInstanceOfSatisfying(ChatEndpointException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.getMessage()).endsWith("invalid api key");
                });
        assertThat(received).hasSize(1);
    }

    @Test
    void retriesATimeoutThenSucceeds() {
        script.add(new Answer(200, OK_BODY, Map.of(), 1500));

        ChatCompletion completion = client("k", Duration.ofMillis(300), 1).complete(question());

        assertThat(completion.content()).isEqualTo("Paris");
        assertThat(received).hasSize(2);
        assertThat(sleeps).containsExactly(Duration.ofMillis(500));
    }

    @Test
    void aTimeoutOnEveryAttemptIsStatus0() {
        script.add(new Answer(200, OK_BODY, Map.of(), 1500));
        script.add(new Answer(200, OK_BODY, Map.of(), 1500));

        assertThatThrownBy(() -> client("k", Duration.ofMillis(300), 1).complete(question()))
                .isInstanceOfSatisfying(ChatEndpointException.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.getMessage()).contains("2 attempts").contains("did not answer within");
                });
    }

    @Test
    void retriesAConnectionThatIsRefused() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        OpenAiChatClient client = new OpenAiChatClient(new OpenAiChatClient.Config(
                URI.create("http://127.0.0.1:" + port + "/v1"), "k", Duration.ofSeconds(2), 2, 0), sleeps::add);

        assertThatThrownBy(() -> client.complete(question()))
                .isInstanceOfSatisfying(ChatEndpointException.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.getMessage()).contains("could not reach the chat endpoint");
                });
        assertThat(sleeps).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void anAnswerWithoutContentIsAClearError() {
        script.add(Answer.of(200, "{\"choices\":[]}"));

        assertThatThrownBy(() -> client("k", Duration.ofSeconds(5), 3).complete(question()))
                .isInstanceOf(ChatEndpointException.class)
                .hasMessageContaining("no choices[0].message.content");
        assertThat(received).hasSize(1);
    }

    @Test
    void theRateLimitSpacesRequestsOfAllThreads() throws Exception {
        // 20 per second: 6 requests from 3 threads take at least the 5 intervals between them
        OpenAiChatClient client = new OpenAiChatClient(new OpenAiChatClient.Config(baseUrl(), "k", Duration.ofSeconds(5), 0, 20));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        AtomicInteger done = new AtomicInteger();
        long start = System.nanoTime();
        try {
            List<Future<?>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                futures.add(pool.submit(() -> {
                    client.complete(question());
                    done.incrementAndGet();
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(done).hasValue(6);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
    }

    @Test
    void theRateLimiterReservesEvenlySpacedSlots() {
        OpenAiChatClient.RateLimiter limiter = new OpenAiChatClient.RateLimiter(10);
        assertThat(limiter.reserve(0)).isZero();
        assertThat(limiter.reserve(0)).isEqualTo(Duration.ofMillis(100));
        assertThat(limiter.reserve(50_000_000)).isEqualTo(Duration.ofMillis(150));
        // after a quiet second, no backlog
        assertThat(limiter.reserve(2_000_000_000L)).isZero();
        assertThat(new OpenAiChatClient.RateLimiter(0).reserve(0)).isZero();
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDateAndTooLongOrGarbageIsIgnored() {
        assertThat(OpenAiChatClient.parseRetryAfter("3")).contains(Duration.ofSeconds(3));
        assertThat(OpenAiChatClient.parseRetryAfter("0.5")).contains(Duration.ofMillis(500));
        assertThat(OpenAiChatClient.parseRetryAfter("soon")).isEmpty();
        assertThat(OpenAiChatClient.parseRetryAfter("3600")).isEmpty();
        String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(10));
        assertThat(OpenAiChatClient.parseRetryAfter(inTenSeconds).orElseThrow())
                .isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10));
    }

    @Test
    void backoffDoublesUpToItsCap() {
        assertThat(OpenAiChatClient.backoff(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(OpenAiChatClient.backoff(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(OpenAiChatClient.backoff(40)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void theConfigSaysWhatIsWrongAndNeverPrintsTheKey() {
        assertThatThrownBy(() -> new OpenAiChatClient.Config(URI.create("ftp://x"), "k", Duration.ofSeconds(1), 0, 0))
                .hasMessageContaining("http or https");
        assertThatThrownBy(() -> new OpenAiChatClient.Config(URI.create("http://x"), "k", Duration.ZERO, 0, 0))
                .hasMessageContaining("timeout must be positive");
        assertThatThrownBy(() -> new OpenAiChatClient.Config(URI.create("http://x"), "k", Duration.ofSeconds(1), -1, 0))
                .hasMessageContaining("maxRetries");
        assertThatThrownBy(() -> new OpenAiChatClient.Config(URI.create("http://x"), "k", Duration.ofSeconds(1), 0, -2))
                .hasMessageContaining("requestsPerSecond");
        assertThat(new OpenAiChatClient.Config(URI.create("http://x"), "sk-secret", Duration.ofSeconds(1), 0, 0).toString())
                .doesNotContain("sk-secret").contains("***");
    }
}
