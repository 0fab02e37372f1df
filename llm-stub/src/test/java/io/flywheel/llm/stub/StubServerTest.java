package io.flywheel.llm.stub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.llm.eval.chat.ChatCompletion;
import io.flywheel.llm.eval.chat.ChatEndpointException;
import io.flywheel.llm.eval.chat.ChatMessage;
import io.flywheel.llm.eval.chat.ChatRequest;
import io.flywheel.llm.eval.chat.OpenAiChatClient;
import io.flywheel.llm.eval.chat.TokenUsage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stub on a free port, spoken to over HTTP: raw for the wire shapes, and through OpenAiChatClient. */
class StubServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private StubServer stub;

    @BeforeEach
    void start() throws IOException {
        stub = StubServer.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(stub.baseUrl() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private OpenAiChatClient client(int maxRetries) {
        return new OpenAiChatClient(new OpenAiChatClient.Config(stub.baseUrl(), "sk-anything", Duration.ofSeconds(5), maxRetries, 0));
    }

    @Test
    void answersInOpenAisShapeWithUsageCountedInWhiteSpaceTokens() throws Exception {
        HttpResponse<String> response = post("/chat/completions", """
                {"model": "stub-1", "temperature": 0, "messages": [
                  {"role": "system", "content": "Answer with only the answer."},
                  {"role": "user", "content": "What is the capital of Japan?"}]}""");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("id").asText()).startsWith("chatcmpl-stub-");
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("created").asLong()).isPositive();
        assertThat(body.path("model").asText()).isEqualTo("stub-1");
        JsonNode choice = body.path("choices").get(0);
        assertThat(choice.path("index").asInt()).isZero();
        assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").asText()).isEqualTo("Tokyo");
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        // 5 + 6 prompt tokens, 1 completion token
        assertThat(body.path("usage")).isEqualTo(JSON.readTree("{\"prompt_tokens\":11,\"completion_tokens\":1,\"total_tokens\":12}"));
    }

    @Test
    void theSameRequestGetsTheSameAnswerAndId() {
        ChatRequest request = new ChatRequest("stub-1", List.of(ChatMessage.user("What is 12 * 12?")), Map.of());
        ChatCompletion first = client(0).complete(request);
        ChatCompletion second = client(0).complete(request);
        assertThat(first.content()).isEqualTo(second.content()).contains("144");
        assertThat(first.usage()).isEqualTo(second.usage()).isEqualTo(new TokenUsage(5, 26, 31));
    }

    @Test
    void maxTokensCutsTheAnswerWithFinishReasonLength() throws Exception {
        JsonNode body = JSON.readTree(post("/chat/completions", """
                {"model": "stub-1", "max_tokens": 3, "messages": [{"role": "user", "content": "What is the largest planet?"}]}""").body());
        assertThat(body.path("choices").get(0).path("message").path("content").asText()).isEqualTo("Great question! After");
        assertThat(body.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
        assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(3);
    }

    @Test
    void acceptsContentPartsAndTheDeveloperRole() throws Exception {
        JsonNode body = JSON.readTree(post("/chat/completions", """
                {"model": "stub-1", "messages": [{"role": "developer", "content": "Reply in one word."},
                  {"role": "user", "content": [{"type": "text", "text": "What is the red planet?"}]}]}""").body());
        assertThat(body.path("choices").get(0).path("message").path("content").asText()).isEqualTo("Mars");
    }

    @Test
    void badRequestsGetOpenAiStyleErrors() throws Exception {
        assertError(post("/chat/completions", "{\"model\": \"stub-1\", \"stream\": true, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}"),
                400, "llm-stub does not stream; send \"stream\": false or leave it out");
        assertError(post("/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}"),
                400, "you must provide a model parameter (a non-empty string)");
        assertError(post("/chat/completions", "{\"model\": \"stub-1\", \"messages\": []}"),
                400, "'messages' must be a non-empty array of {\"role\", \"content\"}");
        assertError(post("/chat/completions", "{\"model\": \"stub-1\", \"messages\": [{\"role\": \"wizard\", \"content\": \"hi\"}]}"),
                400, "messages[0].role must be one of");
        assertError(post("/chat/completions", "{\"model\": \"stub-1\", \"messages\": [{\"role\": \"user\", \"content\": 7}]}"),
                400, "messages[0].content must be a string");
        assertError(post("/chat/completions", "{\"model\": \"stub-1\", \"n\": 2, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}"),
                400, "'n' must be 1");
        assertError(post("/chat/completions", "{not json"), 400, "could not parse the JSON body");
        assertError(post("/chat/completions", "[1]"), 400, "the request body must be a JSON object");
        assertError(get(stub.baseUrl() + "/chat/completions"), 405, "method GET not allowed here; use POST");
        assertError(get(stub.baseUrl() + "/embeddings"), 404, "no route GET /v1/embeddings");
    }

    private static void assertError(HttpResponse<String> response, int status, String message) throws IOException {
        assertThat(response.statusCode()).isEqualTo(status);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("message").asText()).contains(message);
        assertThat(error.path("type").asText()).isEqualTo(status == 404 || status == 405 || status == 400 ? "invalid_request_error" : "");
    }

    @Test
    void aBadRequestReachesTheClientAsANonRetryableError() {
        ChatRequest streaming = new ChatRequest("stub-1", List.of(ChatMessage.user("hi")), Map.of("stream", true));
        assertThatThrownBy(() -> client(3).complete(streaming))
                .isInstanceOfSatisfying(ChatEndpointException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("llm-stub does not stream");
                });
    }

    @Test
    void listsModelsAndIsHealthy() throws Exception {
        JsonNode models = JSON.readTree(get(stub.baseUrl() + "/models").body());
        assertThat(models.path("object").asText()).isEqualTo("list");
        assertThat(models.path("data").findValuesAsText("id")).containsExactlyElementsOf(StubServer.MODELS);
        HttpResponse<String> health = get("http://127.0.0.1:" + stub.port() + "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).path("status").asText()).isEqualTo("UP");
    }

    @Test
    void flaky429FailsEveryOtherCallWithRetryAfterAndTheClientRetriesThrough() throws Exception {
        String body = "{\"model\": \"flaky-429\", \"messages\": [{\"role\": \"user\", \"content\": \"Capital of Italy? Only the answer.\"}]}";
        HttpResponse<String> first = post("/chat/completions", body);
        assertThat(first.statusCode()).isEqualTo(429);
        assertThat(first.headers().firstValue("Retry-After")).contains("1");
        assertThat(JSON.readTree(first.body()).path("error").path("type").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(post("/chat/completions", body).statusCode()).isEqualTo(200);

        // the third call fails again; the client waits out the Retry-After and gets the fourth's answer
        long start = System.nanoTime();
        ChatCompletion completion = client(2).complete(new ChatRequest("flaky-429",
                List.of(ChatMessage.user("Capital of Italy? Only the answer.")), Map.of()));
        assertThat(completion.content()).isEqualTo("Rome");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void flaky500IsRetriedWithBackoffAndWithoutRetriesItFails() {
        ChatRequest request = new ChatRequest("flaky-500", List.of(ChatMessage.user("What is 1 + 1? Just the number.")), Map.of());
        assertThatThrownBy(() -> client(0).complete(request))
                .isInstanceOfSatisfying(ChatEndpointException.class, e -> assertThat(e.status()).isEqualTo(500));
        // call 2 succeeds, call 3 fails and call 4 (the retry) succeeds
        assertThat(client(0).complete(request).content()).isEqualTo("2");
        assertThat(client(1).complete(request).content()).isEqualTo("2");
    }

    @Test
    void aSlowModelRunsIntoTheClientsTimeout() {
        OpenAiChatClient impatient = new OpenAiChatClient(new OpenAiChatClient.Config(stub.baseUrl(), null, Duration.ofMillis(200), 0, 0));
        assertThatThrownBy(() -> impatient.complete(new ChatRequest("slow-1000", List.of(ChatMessage.user("hi")), Map.of())))
                .isInstanceOfSatisfying(ChatEndpointException.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.getMessage()).contains("did not answer within");
                });
    }
}
