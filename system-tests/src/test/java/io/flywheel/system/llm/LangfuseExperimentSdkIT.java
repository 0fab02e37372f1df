package io.flywheel.system.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.system.support.TestStack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Langfuse's v5 SDK (@langfuse/client 5.11.1) runs an experiment on a Langfuse dataset through the test
 * stack's gateway, unmodified (src/test/node/v5-experiment.mjs): it creates a dataset and three items,
 * reads them back with {@code dataset.get} (paging until {@code meta.totalPages}), runs
 * {@code dataset.runExperiment} (a dataset run item per item, whose {@code datasetRunId} is the
 * experiment's id, {@code GET /api/public/projects}, traced tasks, item and run scores), and fails on any
 * refused request. Then retrain-service's routes, with the same key pair, must show the run with one
 * item per dataset item, each linked to the trace the SDK made, and the monitor the scores, on the
 * trace and on the run. Needs Node.js 20 or later and npm (as LangfuseSdkIT).
 */
class LangfuseExperimentSdkIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final NodeSdks SDKS = new NodeSdks();

    private final URI gateway = TestStack.gateway();
    private final String adminKey = TestStack.adminKey();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void theSdksAreInstalled() {
        NodeSdks.requireNode();
        SDKS.install();
    }

    @Test
    void theV5SdkRunsAnExperimentOnADatasetAndTheRunIsKept() throws IOException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        JsonNode project = send("POST", "/api/v1/llm/projects", "X-API-Key", adminKey, "{\"name\":\"sdk-it-experiment-" + run + "\"}", 201);
        String publicKey = project.path("public_key").asText();
        String secretKey = project.path("secret_key").asText();
        String basic = "Basic " + Base64.getEncoder().encodeToString((publicKey + ":" + secretKey).getBytes(StandardCharsets.UTF_8));

        JsonNode sent = SDKS.run("v5-experiment.mjs", gateway.toString(), publicKey, secretKey, run);
        System.out.println("v5 experiment: " + sent);
        String dataset = sent.path("dataset").asText();
        String runId = sent.path("datasetRunId").asText();
        assertThat(sent.path("items").asInt()).as("items dataset.get read back").isEqualTo(3);
        assertThat(runId).as("datasetRunId").isNotBlank();
        assertThat(sent.path("experimentId").asText()).as("the experiment's id is the run's").isEqualTo(runId);
        assertThat(sent.path("itemRunIds")).allSatisfy(id -> assertThat(id.asText()).isEqualTo(runId));
        assertThat(sent.path("runEvaluations").get(0).path("value").asDouble()).isEqualTo(2.0 / 3.0);
        List<String> requests = new ArrayList<>();
        sent.path("requests").forEach(r -> requests.add(r.path("request").asText()));
        assertThat(requests).contains("GET /api/public/projects").contains("POST /api/public/dataset-run-items");

        JsonNode runRead = send("GET", "/api/public/datasets/" + q(dataset) + "/runs/" + q(sent.path("runName").asText()), "Authorization",
                basic, null, 200);
        assertThat(runRead.path("id").asText()).isEqualTo(runId);
        assertThat(runRead.path("description").asText()).isEqualTo("a lookup table as the model");
        List<String> traces = new ArrayList<>();
        runRead.path("datasetRunItems").forEach(i -> traces.add(i.path("traceId").asText()));
        List<String> sdkTraces = new ArrayList<>();
        sent.path("traceIds").forEach(t -> sdkTraces.add(t.asText()));
        assertThat(traces).as("each run item links the trace the SDK made for its item").containsExactlyInAnyOrderElementsOf(sdkTraces);

        // the monitor keeps the item scores on their traces and the run evaluator's score on the run
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode scores = send("GET", "/api/public/v2/scores?datasetRunId=" + q(runId), "Authorization", basic, null, 200);
            assertThat(scores.path("data")).extracting(s -> s.path("name").asText()).contains("accuracy");
            for (String trace : sdkTraces) {
                JsonNode onTrace = send("GET", "/api/public/v2/scores?traceId=" + q(trace), "Authorization", basic, null, 200);
                assertThat(onTrace.path("data")).extracting(s -> s.path("name").asText()).contains("exact");
            }
        });
    }

    private JsonNode send(String method, String path, String header, String value, String body, int expected) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.resolve(path)).timeout(Duration.ofSeconds(15)).header(header, value)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(method + " " + path + " answered " + response.body()).isEqualTo(expected);
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + ": no answer from the gateway (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
