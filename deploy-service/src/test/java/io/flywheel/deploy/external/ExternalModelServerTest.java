package io.flywheel.deploy.external;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.deploy.external.ExternalCallException.Kind;
import io.flywheel.deploy.external.server.V2ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * External versions against a real Open Inference Protocol v2 server in its own process
 * ({@link io.flywheel.deploy.external.server.V2TestServer}: ONNX Runtime behind the JDK's HTTP
 * server), which requires a bearer token. Answers are checked against the frameworks' own
 * predictions in the models' {@code .expected.json}.
 */
class ExternalModelServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "t0ken-for-tests";

    private static V2ServerProcess server;
    private static Path models;
    private static HttpClient http;

    @TempDir
    Path secretsDir;

    private final AtomicLong clock = new AtomicLong(System.nanoTime());
    private final ExternalMetrics.Counting metrics = new ExternalMetrics.Counting();
    private ExternalServing serving;

    @BeforeAll
    static void startServer(@TempDir Path dir) throws IOException {
        models = dir;
        for (String file : List.of("breast_cancer_logreg.onnx", "typed_inputs.onnx")) {
            try (InputStream in = ExternalModelServerTest.class.getResourceAsStream("/external/" + file)) {
                Files.copy(in, dir.resolve(file));
            }
        }
        server = V2ServerProcess.start(List.of("--token=" + TOKEN,
                "--model=cancer=" + dir.resolve("breast_cancer_logreg.onnx"), "--model=typed=" + dir.resolve("typed_inputs.onnx")));
        http = V2Client.httpClient(Duration.ofSeconds(2), null);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
        if (http != null) {
            http.close();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        server.control(Map.of("delay_ms", 0, "fail", "none"));
        Files.writeString(secretsDir.resolve("v2-token"), "Bearer " + TOKEN + "\n");
        serving = serving(List.of("127.0.0.1:" + server.port()), Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    private ExternalServing serving(List<String> allowed, Duration readTimeout, Duration openFor) {
        return new ExternalServing(HostAllowList.of(allowed), new SecretRefs(secretsDir, Duration.ZERO), http,
                new ExternalServing.Settings(readTimeout, new CircuitBreaker.Settings(3, 0.5, 20, openFor, 1)), clock::get);
    }

    private static ExternalEndpoint endpoint(String model, String secretRef) {
        return new ExternalEndpoint(server.modelUrl(model), secretRef == null ? null : new ExternalEndpoint.Auth("Authorization", secretRef));
    }

    private static JsonNode expected(String name) throws IOException {
        try (InputStream in = ExternalModelServerTest.class.getResourceAsStream("/external/" + name + ".expected.json")) {
            return JSON.readTree(in);
        }
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof CompletionException c ? (RuntimeException) c.getCause()
                    : e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Kind kindOf(Runnable call) {
        try {
            call.run();
        } catch (ExternalCallException e) {
            return e.kind();
        }
        throw new AssertionError("the call succeeded");
    }

    /** The breast-cancer model: 30 features in signature order, rows from its expected file. */
    private ExternalModel cancer(ExternalServing serving, String secretRef) throws IOException {
        JsonNode expected = expected("breast_cancer_logreg");
        List<ExternalModel.Feature> features = new ArrayList<>();
        expected.get("feature_names").forEach(n -> features.add(new ExternalModel.Feature(n.asText(), "number")));
        return await(serving.load(endpoint("cancer", secretRef), features, metrics));
    }

    private static List<Map<String, Object>> cancerRows(JsonNode expected) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode row : expected.get("inputs").get("float_input")) {
            Map<String, Object> values = new HashMap<>();
            for (int i = 0; i < row.size(); i++) {
                values.put(expected.get("feature_names").get(i).asText(), row.get(i).asDouble());
            }
            rows.add(values);
        }
        return rows;
    }

    @Test
    void aClassifierAnswersAsTheFrameworkDidAndLogsTheProbabilityOfClassOne() throws IOException {
        JsonNode expected = expected("breast_cancer_logreg");
        ExternalModel model = cancer(serving, "v2-token");
        List<Map<String, Object>> rows = cancerRows(expected);

        ExternalModel.Answer answer = await(model.infer("req-batch", rows));

        assertThat(rows).hasSize(114);
        assertThat(answer.response().id()).isEqualTo("req-batch");
        assertThat(answer.response().outputs()).extracting(V2.Tensor::name).containsExactly("output_label", "output_probability");
        assertThat(answer.logged()).hasSize(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> logged = (Map<String, Object>) answer.logged().get(r);
            assertThat(((Number) logged.get("label")).longValue()).as("row %d label", r)
                    .isEqualTo(expected.get("outputs").get("output_label").get(r).asLong());
            assertThat((Double) logged.get("probability")).as("row %d P(class 1)", r)
                    .isCloseTo(expected.get("outputs").get("output_probability").get(r).get(1).asDouble(), within(1e-5));
        }
        // one row at a time gives the same
        ExternalModel.Answer single = await(model.infer("req-7", List.of(rows.get(7))));
        @SuppressWarnings("unchecked")
        Map<String, Object> logged = (Map<String, Object>) single.logged().getFirst();
        assertThat((Double) logged.get("probability"))
                .isCloseTo(expected.get("outputs").get("output_probability").get(7).get(1).asDouble(), within(1e-5));
        assertThat(metrics.answered()).isEqualTo(2);
    }

    @Test
    void perFeatureInputsOfEveryTypeAreSentAsTheEndpointDeclaresThem() throws IOException {
        JsonNode expected = expected("typed_inputs");
        List<ExternalModel.Feature> features = List.of(new ExternalModel.Feature("amount", "number"),
                new ExternalModel.Feature("count", "integer"), new ExternalModel.Feature("flag", "boolean"),
                new ExternalModel.Feature("country", "string"));
        ExternalModel model = await(serving.load(endpoint("typed", "v2-token"), features, metrics));
        List<Map<String, Object>> rows = new ArrayList<>();
        int n = expected.get("rows").asInt();
        for (int r = 0; r < n; r++) {
            JsonNode in = expected.get("inputs");
            Map<String, Object> row = new HashMap<>();
            row.put("amount", in.get("amount").get(r).get(0).asDouble());
            row.put("count", (double) in.get("count").get(r).get(0).asLong()); // as JSON numbers arrive: doubles
            row.put("flag", in.get("flag").get(r).get(0).asBoolean());
            row.put("country", in.get("country").get(r).get(0).asText());
            rows.add(row);
        }

        V2.InferRequest request = model.request("typed-1", rows);
        assertThat(request.inputs()).extracting(V2.Tensor::datatype).containsExactly("FP64", "INT64", "BOOL", "BYTES");
        assertThat(request.inputs().getFirst().shape()).containsExactly((long) n, 1L);
        ExternalModel.Answer answer = await(model.infer("typed-1", rows));

        for (int r = 0; r < n; r++) {
            assertThat((Double) answer.logged().get(r)).as("row %d", r)
                    .isCloseTo(expected.get("outputs").get("score").get(r).get(0).asDouble(), within(1e-5));
        }
    }

    @Test
    void theAuthHeaderIsRequiredAndSentFromTheSecretAndARotationIsPickedUp() throws IOException {
        ExternalModel model = cancer(serving, "v2-token");
        List<Map<String, Object>> rows = cancerRows(expected("breast_cancer_logreg")).subList(0, 1);
        await(model.infer("a", rows));
        assertThat(server.stats().get("last_had_authorization").asBoolean()).isTrue();

        Files.writeString(secretsDir.resolve("v2-token"), "Bearer rotated-and-wrong");
        assertThatThrownBy(() -> await(model.infer("b", rows))).isInstanceOf(ExternalCallException.class)
                .hasMessageContaining("answered 401").hasMessageContaining("credentials")
                .hasMessageNotContaining("rotated-and-wrong").hasMessageNotContaining(TOKEN);
        Files.writeString(secretsDir.resolve("v2-token"), "Bearer " + TOKEN);
        assertThat(await(model.infer("c", rows)).logged()).hasSize(1);

        // a version without auth reaches the server without the header and is refused
        ExternalModel.Feature f = new ExternalModel.Feature("x", "number");
        assertThatThrownBy(() -> await(serving.load(endpoint("cancer", null), List.of(f), metrics)))
                .isInstanceOf(ExternalCallException.class).hasMessageContaining("401");
        assertThat(server.stats().get("last_had_authorization").asBoolean()).isFalse();
    }

    @Test
    void aMissingSecretStopsTheVersionBeforeAnyConnection() {
        int before = server.stats().get("metadata").asInt();
        assertThatThrownBy(() -> await(serving.load(endpoint("cancer", "no-such-secret"), List.of(new ExternalModel.Feature("x", "number")),
                metrics))).isInstanceOf(ExternalModel.NotServableException.class)
                .hasMessage("secret 'no-such-secret' is not in deploy's secrets directory (deploy.external.secrets-dir)");
        assertThat(server.stats().get("metadata").asInt()).isEqualTo(before);
    }

    @Test
    void aHostTheAllowListDoesNotPermitIsRefusedBeforeAnyConnection() {
        JsonNode before = server.stats();
        ExternalServing strict = serving(List.of("models.example.com", "127.0.0.1:" + (server.port() + 1)), Duration.ofSeconds(5),
                Duration.ofSeconds(10));
        List<ExternalModel.Feature> features = List.of(new ExternalModel.Feature("x", "number"));
        assertThatThrownBy(() -> await(strict.load(endpoint("cancer", "v2-token"), features, metrics)))
                .isInstanceOf(ExternalModel.NotServableException.class)
                .hasMessage("host '127.0.0.1:" + server.port() + "' is not in deploy's allow-list (deploy.external.allowed-hosts)");
        // the allowed name as user info, the real server as host
        String trick = "http://models.example.com@127.0.0.1:" + server.port() + "/v2/models/cancer";
        assertThatThrownBy(() -> strict.client(new ExternalEndpoint(trick, null), metrics)).hasMessageContaining("user info");
        assertThat(server.stats().get("metadata").asInt()).isEqualTo(before.get("metadata").asInt());
        assertThat(server.stats().get("infer").asInt()).isEqualTo(before.get("infer").asInt());
    }

    @Test
    void aSlowEndpointTimesOutAsA504() throws IOException {
        ExternalServing impatient = serving(List.of("127.0.0.1:" + server.port()), Duration.ofMillis(300), Duration.ofSeconds(10));
        ExternalModel model = cancer(impatient, "v2-token");
        server.control(Map.of("delay_ms", 3000));
        List<Map<String, Object>> rows = cancerRows(expected("breast_cancer_logreg")).subList(0, 1);
        long start = System.nanoTime();
        ExternalCallException e = (ExternalCallException) org.assertj.core.api.Assertions.catchThrowable(() -> await(model.infer("slow", rows)));
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(e.kind().status()).isEqualTo(504);
        assertThat(e).hasMessageContaining("no answer within 300 ms");
        assertThat(waited).as("gave up at the timeout, not when the server answered").isLessThan(2500);
        assertThat(metrics.failed(Kind.TIMEOUT)).isEqualTo(1);
    }

    @Test
    void theBreakerOpensOnRepeatedFailuresRefusesWithoutCallingAndClosesAfterAGoodProbe() throws IOException {
        ExternalModel model = cancer(serving, "v2-token");
        List<Map<String, Object>> rows = cancerRows(expected("breast_cancer_logreg")).subList(0, 1);
        server.control(Map.of("fail", "503"));
        for (int i = 0; i < 3; i++) {
            ExternalCallException e = (ExternalCallException) org.assertj.core.api.Assertions.catchThrowable(() -> await(model.infer("f", rows)));
            assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(e.retryAfter()).as("the endpoint's own Retry-After").isEqualTo(Duration.ofSeconds(7));
        }
        assertThat(model.client().breaker().state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(metrics.breakerLevel()).isEqualTo(2);
        int calls = server.stats().get("infer").asInt();

        ExternalCallException refused = (ExternalCallException) org.assertj.core.api.Assertions.catchThrowable(() -> await(model.infer("r", rows)));
        assertThat(refused.kind()).isEqualTo(Kind.CIRCUIT_OPEN);
        assertThat(refused.kind().status()).isEqualTo(503);
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(server.stats().get("infer").asInt()).as("nothing sent while open").isEqualTo(calls);

        server.control(Map.of("fail", "none"));
        clock.addAndGet(Duration.ofSeconds(10).toNanos()); // the cool-down passes
        assertThat(await(model.infer("probe", rows)).logged()).hasSize(1);
        assertThat(model.client().breaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(metrics.breakerLevel()).isZero();
        assertThat(server.stats().get("infer").asInt()).isEqualTo(calls + 1);
    }

    @Test
    void aFailedProbeOpensTheBreakerAgain() throws IOException {
        ExternalModel model = cancer(serving, "v2-token");
        List<Map<String, Object>> rows = cancerRows(expected("breast_cancer_logreg")).subList(0, 1);
        server.control(Map.of("fail", "500"));
        for (int i = 0; i < 3; i++) {
            assertThat(kindOf(() -> await(model.infer("f", rows)))).isEqualTo(Kind.BAD_GATEWAY);
        }
        clock.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(kindOf(() -> await(model.infer("probe", rows)))).isEqualTo(Kind.BAD_GATEWAY);
        assertThat(model.client().breaker().state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(kindOf(() -> await(model.infer("r", rows)))).isEqualTo(Kind.CIRCUIT_OPEN);
    }

    @Test
    void theEndpointsRefusalOfTheInputIsOurCallersFaultAndDoesNotTripTheBreaker() throws IOException {
        ExternalModel model = cancer(serving, "v2-token");
        V2Client client = model.client();
        V2.InferRequest bad = new V2.InferRequest("bad", null, List.of(new V2.Tensor("float_input", "FP32", List.of(1L, 29L),
                new ArrayList<>(java.util.Collections.nCopies(29, (Object) 1.0)), null)));
        for (int i = 0; i < 5; i++) {
            ExternalCallException e = (ExternalCallException) org.assertj.core.api.Assertions.catchThrowable(() -> await(client.infer(bad)));
            assertThat(e.kind()).isEqualTo(Kind.INVALID_INPUT);
            assertThat(e.kind().status()).isEqualTo(400);
            assertThat(e.remoteStatus()).isEqualTo(400);
            assertThat(e).hasMessageContaining("the model endpoint refused the input: input 'float_input' expects 30 along axis 1");
        }
        assertThat(client.breaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void redirectsAreNotFollowedAndAnAnswerThatIsNotV2IsABadGateway() throws IOException {
        ExternalModel model = cancer(serving, "v2-token");
        List<Map<String, Object>> rows = cancerRows(expected("breast_cancer_logreg")).subList(0, 1);
        server.control(Map.of("fail", "redirect"));
        ExternalCallException e = (ExternalCallException) org.assertj.core.api.Assertions.catchThrowable(() -> await(model.infer("r", rows)));
        assertThat(e.kind()).isEqualTo(Kind.BAD_GATEWAY);
        assertThat(e).hasMessageContaining("redirect (302); deploy follows none");
        server.control(Map.of("fail", "garbage"));
        assertThat(kindOf(() -> await(model.infer("g", rows)))).isEqualTo(Kind.BAD_GATEWAY);
    }

    @Test
    void readinessFollowsTheEndpointsReadyRoute() throws IOException {
        ExternalModel model = cancer(serving, "v2-token");
        assertThat(await(model.ready())).isTrue();
        assertThat(metrics.readyLevel()).isEqualTo(1);
        server.control(Map.of("fail", "unready"));
        assertThat(await(model.ready())).isFalse();
        assertThat(metrics.readyLevel()).isZero();
    }

    @Test
    void nobodyListeningIsUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        ExternalServing local = serving(List.of("127.0.0.1:" + closedPort), Duration.ofSeconds(2), Duration.ofSeconds(10));
        V2Client client = local.client(new ExternalEndpoint("http://127.0.0.1:" + closedPort + "/v2/models/m", null), metrics);
        V2.InferRequest request = new V2.InferRequest("x", null, List.of(new V2.Tensor("x", "FP64", List.of(1L), List.of(1.0), null)));
        assertThat(kindOf(() -> await(client.infer(request)))).isEqualTo(Kind.UNAVAILABLE);
        assertThat(await(client.ready())).isFalse();
    }

    @Test
    void aSignatureThatDoesNotFitTheEndpointIsNotServable() {
        List<ExternalModel.Feature> twentyNine = new ArrayList<>();
        for (int i = 0; i < 29; i++) {
            twentyNine.add(new ExternalModel.Feature("f" + i, "number"));
        }
        assertThatThrownBy(() -> await(serving.load(endpoint("cancer", "v2-token"), twentyNine, metrics)))
                .isInstanceOf(ExternalModel.NotServableException.class)
                .hasMessageContaining("neither the signature's 29 features by name nor a [-1, 29] matrix");
        assertThatThrownBy(() -> await(serving.load(endpoint("typed", "v2-token"), List.of(new ExternalModel.Feature("amount", "number")),
                metrics))).isInstanceOf(ExternalModel.NotServableException.class).hasMessageContaining("which the signature does not name");
        assertThatThrownBy(() -> await(serving.load(endpoint("nosuchmodel", "v2-token"), twentyNine, metrics)))
                .isInstanceOf(ExternalCallException.class).hasMessageContaining("404");
    }
}
