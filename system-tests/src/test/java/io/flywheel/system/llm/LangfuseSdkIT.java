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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Langfuse's own JavaScript SDKs against the test stack's gateway, unmodified: the classic v3 SDK
 * (langfuse 3.39.2: everything through POST /api/public/ingestion) and the v5 SDK on OpenTelemetry
 * (@langfuse/otel 5.11.1: spans as OTLP/JSON to /api/public/otel/v1/traces, scores through the
 * ingestion API), each with a fresh LLM project's key pair. Each script (src/test/node) makes a trace
 * with nested observations, a generation with usage and no cost, trace attributes and three scores,
 * flushes, and fails on any refused request or SDK error. Then the read APIs, with the same key pair,
 * must give back what the SDK sent, in Langfuse's shapes (ids, names, user, session, tags, the
 * observation tree, model, usage, a cost the monitor's price table computed, the scores and their data
 * types), within {@code llm.visible-within-seconds} (10) of the flush, and Flywheel's own
 * {@code /api/v1/llm/traces/{id}} the same trace as a tree with tokens and cost. Needs Node.js 20 or
 * later and npm (the first run also the npm registry; later runs use the cache in .flywheel/test).
 */
class LangfuseSdkIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final NodeSdks SDKS = new NodeSdks();
    /** How long the read APIs may take to show everything after the SDK's flush (a bound, not a benchmark). */
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(Long.getLong("llm.visible-within-seconds", 10));
    /** How long to keep looking before failing with what is missing (longer than the bound, to say how late it was). */
    private static final Duration WAIT = Duration.ofSeconds(Long.getLong("llm.wait-seconds", 30));

    private final URI gateway = TestStack.gateway();
    private final String adminKey = TestStack.adminKey();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void theSdksAreInstalled() {
        NodeSdks.requireNode();
        SDKS.install();
    }

    /** An LLM project and its key pair (the secret key is never printed). */
    private record Project(String id, String name, String publicKey, String secretKey) {
        String basic() {
            return "Basic " + Base64.getEncoder().encodeToString((publicKey + ":" + secretKey).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "project " + id + " (" + name + ", " + publicKey + ")";
        }
    }

    private record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + clip(body));
            }
        }
    }

    // --- the tests -------------------------------------------------------------------------------

    @Test
    void theClassicV3SdkTraceComesBackThroughTheReadApis() {
        String run = run();
        Project project = newProject("sdk-it-v3-" + run);
        JsonNode sent = SDKS.run("v3-classic.mjs", gateway.toString(), project.publicKey(), project.secretKey(), run);
        System.out.println("v3 sent: " + sent);
        String traceId = sent.path("traceId").asText();
        String spanId = sent.path("spanId").asText();
        String generationId = sent.path("generationId").asText();
        String eventId = sent.path("eventId").asText();
        JsonNode scoreIds = sent.path("scoreIds");

        JsonNode trace = awaitComplete("v3", project, traceId, sent.path("flushedAt").asLong(), 3, t -> {
            assertThat(text(t, "name")).as("trace name").isEqualTo("v3-chat-" + run);
            // userId and tags came in v3's trace update (a second trace-create with only those fields)
            assertThat(text(t, "userId")).as("trace userId (from trace.update)").isEqualTo("user-v3-" + run);
            assertThat(text(t, "sessionId")).as("trace sessionId").isEqualTo("session-v3-" + run);
            assertThat(strings(t.path("tags"))).as("trace tags (from trace.update)").containsExactlyInAnyOrder("sdk-it", "v3");
            assertThat(text(t, "release")).as("trace release").isEqualTo("sdk-it-" + run);
            assertThat(text(t, "environment")).as("trace environment").isEqualTo("default");
            assertThat(t.path("input").path("question").asText()).as("trace input").isEqualTo("What is the capital of France?");
            assertThat(t.path("output").path("answer").asText()).as("trace output (from trace.update)").isEqualTo("Paris");
            assertThat(t.path("metadata").path("run").asText()).as("trace metadata.run").isEqualTo(run);

            Map<String, JsonNode> observations = byId(t.path("observations"));
            assertThat(observations.keySet()).as("observation ids").containsExactlyInAnyOrder(spanId, generationId, eventId);
            JsonNode span = observations.get(spanId);
            assertObservation(span, traceId, "SPAN", "answer-question", null);
            assertThat(span.path("output").path("answer").asText()).as("span output (from span.end)").isEqualTo("Paris");
            assertThat(span.path("endTime").isNull() || span.path("endTime").isMissingNode()).as("span endTime set").isFalse();
            assertObservation(observations.get(eventId), traceId, "EVENT", "cache-miss", spanId);
            assertThat(text(observations.get(eventId), "level")).as("event level").isEqualTo("DEBUG");
            JsonNode generation = observations.get(generationId);
            assertObservation(generation, traceId, "GENERATION", "chat-completion", spanId);
            assertGeneration(generation, 1200, 450, 1650);

            assertScores(t.path("scores"), traceId, generationId, 0.87);
            Map<String, JsonNode> scores = byName(t.path("scores"));
            assertThat(text(scores.get("quality"), "id")).as("quality score id").isEqualTo(scoreIds.path("quality").asText());
            assertThat(text(scores.get("tone"), "id")).as("tone score id").isEqualTo(scoreIds.path("tone").asText());
            assertThat(text(scores.get("correct"), "id")).as("correct score id").isEqualTo(scoreIds.path("correct").asText());
            assertThat(t.path("totalCost").asDouble()).as("trace totalCost").isPositive();
        });
        assertTheListsShow(project, trace, "user-v3-" + run, "session-v3-" + run, "v3", 3, generationId);
        assertFlywheelsOwnView(project, traceId, spanId, generationId, 3, 1200, 450);

        // another project's key pair sees none of it
        Project other = newProject("sdk-it-other-" + run);
        Answer foreign = send(get("/api/public/traces/" + traceId).header("Authorization", other.basic()));
        assertThat(foreign.status()).as("GET /api/public/traces/{id} of another project's trace: " + clip(foreign.body())).isEqualTo(404);
        assertThat(publicJson(other, "/api/public/traces").path("data").size()).as("traces listed to another project").isZero();
        assertThat(publicJson(other, "/api/public/v2/scores").path("data").size()).as("scores listed to another project").isZero();
    }

    @Test
    void theV5OtelSdkTraceComesBackThroughTheReadApis() {
        String run = run();
        Project project = newProject("sdk-it-v5-" + run);
        JsonNode sent = SDKS.run("v5-otel.mjs", gateway.toString(), project.publicKey(), project.secretKey(), run);
        System.out.println("v5 sent: " + sent);
        String traceId = sent.path("traceId").asText();
        String rootId = sent.path("rootId").asText();
        String retrieveId = sent.path("retrieveId").asText();
        String rerankId = sent.path("rerankId").asText();
        String generationId = sent.path("generationId").asText();
        String eventId = sent.path("eventId").asText();
        assertThat(traceId).as("the OTel trace id the SDK made").matches("[0-9a-f]{32}");
        for (String id : List.of(rootId, retrieveId, rerankId, generationId, eventId)) {
            assertThat(id).as("an OTel span id the SDK made").matches("[0-9a-f]{16}");
        }

        JsonNode trace = awaitComplete("v5", project, traceId, sent.path("flushedAt").asLong(), 5, t -> {
            assertThat(text(t, "id")).as("trace id: the OTel trace id, hex as sent").isEqualTo(traceId);
            assertThat(text(t, "name")).as("trace name").isEqualTo("v5-agent-" + run);
            assertThat(text(t, "userId")).as("trace userId (propagateAttributes)").isEqualTo("user-v5-" + run);
            assertThat(text(t, "sessionId")).as("trace sessionId (propagateAttributes)").isEqualTo("session-v5-" + run);
            assertThat(strings(t.path("tags"))).as("trace tags (propagateAttributes)").containsExactlyInAnyOrder("sdk-it", "v5");
            assertThat(text(t, "release")).as("trace release").isEqualTo("sdk-it-" + run);
            assertThat(text(t, "environment")).as("trace environment").isEqualTo("sdk-it");
            assertThat(t.path("input").path("question").asText()).as("trace input (setActiveTraceIO)")
                    .isEqualTo("What is the capital of France?");
            assertThat(t.path("output").path("answer").asText()).as("trace output (setActiveTraceIO)").isEqualTo("Paris");

            Map<String, JsonNode> observations = byId(t.path("observations"));
            assertThat(observations.keySet()).as("observation ids: the OTel span ids, hex as sent")
                    .containsExactlyInAnyOrder(rootId, retrieveId, rerankId, generationId, eventId);
            assertObservation(observations.get(rootId), traceId, "SPAN", "v5-agent-" + run, null);
            assertThat(observations.get(rootId).path("metadata").path("run").asText()).as("root observation metadata.run")
                    .isEqualTo(run);
            assertObservation(observations.get(retrieveId), traceId, "SPAN", "retrieve", rootId);
            assertObservation(observations.get(rerankId), traceId, "SPAN", "rerank", retrieveId);
            assertThat(observations.get(retrieveId).path("output").path("documents").size()).as("retrieve output").isEqualTo(2);
            assertObservation(observations.get(eventId), traceId, "EVENT", "answer-ready", rootId);
            JsonNode generation = observations.get(generationId);
            assertObservation(generation, traceId, "GENERATION", "chat-completion", rootId);
            assertGeneration(generation, 2000, 500, 2500);
            assertThat(text(generation, "completionStartTime")).as("generation completionStartTime (sent double-encoded)").isNotBlank();
            for (JsonNode o : observations.values()) {
                assertThat(text(o, "environment")).as("environment of observation " + text(o, "name")).isEqualTo("sdk-it");
            }

            assertScores(t.path("scores"), traceId, generationId, 0.92);
            assertThat(t.path("totalCost").asDouble()).as("trace totalCost").isPositive();
        });
        assertTheListsShow(project, trace, "user-v5-" + run, "session-v5-" + run, "v5", 5, generationId);
        assertFlywheelsOwnView(project, traceId, rootId, generationId, 5, 2000, 500);
    }

    /**
     * Prompt management against the registry: an admin puts {@code production} on a folder-named prompt
     * through Flywheel's API; both SDKs (prompts.mjs) fetch it by the default label (the name sent
     * %2F-encoded), compile it, hit their cache, create text and chat prompts, fetch by version and label,
     * move labels (v5's update), are refused production (a key pair is not an admin) and fall back on a
     * 404. Then the registry, read through Flywheel's API, holds what the SDKs made.
     */
    @Test
    void bothSdksManagePromptsInTheRegistry() {
        String run = run();
        Project project = newProject("sdk-it-prompts-" + run);
        String greeting = "sdk-it/" + run + "/greeting";
        Answer created = send(HttpRequest.newBuilder(gateway.resolve("/api/v1/prompts?project=" + q(project.id())))
                .timeout(Duration.ofSeconds(15)).header("X-API-Key", adminKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"name": "%s", "prompt": "Hello {{name}}, welcome to {{place}}.", "labels": ["production"],
                         "config": {"model": "gpt-4o-mini"}, "commit_message": "set by an admin", "experiment_id": "exp-%s"}"""
                        .formatted(greeting, run))));
        assertThat(created.status()).as("POST /api/v1/prompts as the admin: " + clip(created.body())).isEqualTo(201);

        JsonNode sent = SDKS.run("prompts.mjs", gateway.toString(), project.publicKey(), project.secretKey(), run);
        System.out.println("prompts: " + sent);
        JsonNode v3 = sent.path("v3");
        JsonNode prod = v3.path("greeting");
        assertThat(text(prod, "name")).as("v3 getPrompt(folder name)").isEqualTo(greeting);
        assertThat(prod.path("version").asInt()).as("v3 default label production: version").isEqualTo(1);
        assertThat(strings(prod.path("labels"))).as("v3 labels").containsExactlyInAnyOrder("production", "latest");
        assertThat(text(prod.path("config"), "model")).as("v3 config.model").isEqualTo("gpt-4o-mini");
        assertThat(text(prod, "commitMessage")).as("v3 commitMessage").isEqualTo("set by an admin");
        assertThat(text(prod, "compiled")).as("v3 compile").isEqualTo("Hello Ada, welcome to Flywheel.");
        JsonNode cache = v3.path("cacheHit");
        assertThat(cache.path("sameVersion").asBoolean()).as("v3 second fetch").isTrue();
        assertThat(cache.path("requestsAfter").asInt()).as("v3 second fetch within the TTL is served from the cache: " + cache)
                .isEqualTo(cache.path("requestsBefore").asInt());

        assertThat(v3.path("created").findValuesAsText("version")).as("v3 createPrompt versions").containsExactly("1", "2");
        assertThat(strings(v3.path("created").path(0).path("tags"))).as("v3 created tags").containsExactly("sdk-it");
        assertThat(v3.path("byVersion").path("version").asInt()).as("v3 getPrompt(name, 1)").isEqualTo(1);
        assertThat(text(v3.path("byVersion"), "compiled")).as("v3 compile of version 1").isEqualTo("Summarise the report in 20 words.");
        assertThat(v3.path("byLabel").path("version").asInt()).as("v3 getPrompt staging: the label moved to version 2").isEqualTo(2);
        assertThat(text(v3.path("byLabel"), "compiled")).as("v3 compile of version 2").isEqualTo("Summarise the report in at most 20 words.");
        assertThat(strings(v3.path("byLabel").path("tags"))).as("v3 tags inherited by version 2").containsExactly("sdk-it");

        JsonNode chat = v3.path("chat");
        assertThat(text(chat, "type")).as("v3 chat type").isEqualTo("chat");
        List<String> contents = new ArrayList<>();
        chat.path("compiled").forEach(m -> contents.add(m.path("role").asText() + ": " + m.path("content").asText()));
        assertThat(contents).as("v3 chat compile with a placeholder").containsExactly("system: You help with billing.", "user: Hi",
                "assistant: Hello, how can I help?", "user: Why was I charged twice?");
        assertThat(text(v3, "productionRefused")).as("v3 createPrompt with production by a key pair is refused").isNotNull()
                .containsIgnoringCase("protected");
        assertThat(v3.path("fallback").path("isFallback").asBoolean()).as("v3 fallback on 404").isTrue();
        assertThat(text(v3.path("fallback"), "compiled")).as("v3 fallback compile").isEqualTo("Hello Ada");

        JsonNode v5 = sent.path("v5");
        assertThat(v5.path("created").findValuesAsText("version")).as("v5 prompt.create versions").containsExactly("1", "2");
        assertThat(v5.path("staging").path("version").asInt()).as("v5 get staging").isEqualTo(2);
        assertThat(strings(v5.path("updated").path("labels"))).as("v5 prompt.update labels").contains("canary");
        JsonNode canary = v5.path("canary");
        assertThat(canary.path("version").asInt()).as("v5 get canary after update").isEqualTo(1);
        List<String> v5Contents = new ArrayList<>();
        canary.path("compiled").forEach(m -> v5Contents.add(m.path("role").asText() + ": " + m.path("content").asText()));
        assertThat(v5Contents).as("v5 chat compile").containsExactly("system: Be brief about refunds.", "user: Hi", "user: How long?");
        assertThat(text(v5.path("greeting"), "compiled")).as("v5 folder name, default label").isEqualTo("Hello Grace, welcome to the registry.");
        assertThat(v5.path("summarizeV2").path("version").asInt()).as("v5 get by version").isEqualTo(2);
        assertThat(v5.path("fallback").path("isFallback").asBoolean()).as("v5 fallback on 404").isTrue();
        assertThat(text(v5, "productionRefused")).as("v5 prompt.update to production by a key pair is refused").isNotNull()
                .startsWith("403").contains("protected");

        // the registry, read through Flywheel's API, holds what the SDKs made
        Answer staging = send(get("/api/v1/prompts/sdk-it/" + run + "/summarize?project=" + q(project.id()) + "&label=staging")
                .header("X-API-Key", adminKey));
        assertThat(staging.status()).as("GET /api/v1/prompts/{folder name}?label=staging: " + clip(staging.body())).isEqualTo(200);
        assertThat(staging.json().path("version").asInt()).as("staging of summarize").isEqualTo(2);
        assertThat(text(staging.json(), "project")).as("project of the SDK's prompt").isEqualTo(project.id());
        Answer production = send(get("/api/v1/prompts/sdk-it/" + run + "/summarize?project=" + q(project.id()))
                .header("X-API-Key", adminKey));
        assertThat(production.status()).as("no production on summarize: the key pair's attempt was refused").isEqualTo(404);
        JsonNode listed = publicJson(project, "/api/public/v2/prompts?limit=100");
        assertThat(listed.path("data").findValuesAsText("name")).as("prompts listed to the key pair")
                .containsExactlyInAnyOrder(greeting, "sdk-it/" + run + "/summarize", "sdk-it-chat-" + run, "sdk-it-v5-" + run);
        assertThat(listed.path("meta").path("totalItems").asInt()).as("meta.totalItems").isEqualTo(4);
        Project other = newProject("sdk-it-prompts-other-" + run);
        assertThat(publicJson(other, "/api/public/v2/prompts").path("data").size()).as("prompts listed to another project").isZero();
    }

    @Test
    void thePublicApiTakesOnlyAProjectsOwnKeyPair() {
        Answer health = send(get("/api/public/health"));
        assertThat(health.status()).as("GET /api/public/health without credentials: " + clip(health.body())).isEqualTo(200);
        assertThat(text(health.json(), "status")).as("health status").isEqualTo("OK");

        String run = run();
        Project project = newProject("sdk-it-auth-" + run);
        Answer none = send(get("/api/public/traces"));
        assertThat(none.status()).as("GET /api/public/traces without credentials: " + clip(none.body())).isEqualTo(401);
        Project wrong = new Project(project.id(), project.name(), project.publicKey(), "sk-lf-" + "x".repeat(43));
        Answer refused = send(get("/api/public/traces").header("Authorization", wrong.basic()));
        assertThat(refused.status()).as("GET /api/public/traces with a wrong secret key: " + clip(refused.body())).isEqualTo(401);
        Answer admin = send(get("/api/public/traces").header("X-API-Key", adminKey));
        assertThat(admin.status()).as("GET /api/public/traces with a Flywheel API key instead of a key pair: " + clip(admin.body()))
                .isIn(401, 403);
        JsonNode empty = publicJson(project, "/api/public/traces");
        assertThat(empty.path("data").size()).as("traces of a new project: " + empty).isZero();
        assertThat(empty.path("meta").path("totalItems").asLong(-1)).as("meta.totalItems of a new project").isZero();
    }

    // --- waiting and reading -----------------------------------------------------------------------

    private interface TraceCheck {
        void check(JsonNode trace);
    }

    /**
     * Polls GET /api/public/traces/{id} with the project's key pair until the trace passes every check,
     * then asserts it got there within {@link #VISIBLE_WITHIN} of the SDK's flush. Fails after {@link #WAIT}
     * with the check that still failed.
     */
    private JsonNode awaitComplete(String sdk, Project project, String traceId, long flushedAt, int observations, TraceCheck check) {
        readApisAreThere(project);
        JsonNode[] last = new JsonNode[1];
        await(sdk + " trace " + traceId + " complete in GET /api/public/traces/{id}")
                .atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    Answer answer = send(get("/api/public/traces/" + traceId).header("Authorization", project.basic()));
                    assertThat(answer.status()).as("GET /api/public/traces/" + traceId + ": " + clip(answer.body())).isEqualTo(200);
                    JsonNode trace = answer.json();
                    last[0] = trace;
                    assertThat(trace.path("observations").size()).as("observations of the trace so far").isEqualTo(observations);
                    assertThat(trace.path("scores").size()).as("scores of the trace so far").isEqualTo(3);
                    check.check(trace);
                });
        long after = System.currentTimeMillis() - flushedAt;
        System.out.printf("%s: trace, %d observations and 3 scores complete in the read API %d ms after the SDK's flush%n",
                sdk, observations, after);
        assertThat(Duration.ofMillis(after)).as(sdk + ": time from the SDK's flush to the complete trace in the read API")
                .isLessThanOrEqualTo(VISIBLE_WITHIN);
        return last[0];
    }

    /** The Langfuse read API answers this project's key pair at all (a clear failure, rather than a wait, when it does not). */
    private void readApisAreThere(Project project) {
        Answer answer = send(get("/api/public/traces?limit=1").header("Authorization", project.basic()));
        if (answer.status() != 200) {
            fail("GET /api/public/traces with a new project's key pair answered " + answer.status() + " (" + clip(answer.body())
                    + "): the gateway does not route Langfuse's read API to the monitor, or the monitor does not answer it");
        }
    }

    /** Langfuse's list endpoints (a fresh project: exactly this one trace) and its scores API. */
    private void assertTheListsShow(Project project, JsonNode trace, String userId, String sessionId, String tag, int observations,
                                    String generationId) {
        String traceId = text(trace, "id");
        await("the list endpoints show trace " + traceId).atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    for (String query : List.of("", "?userId=" + q(userId), "?sessionId=" + q(sessionId), "?tags=" + q(tag),
                            "?name=" + q(text(trace, "name")), "?page=1&limit=10")) {
                        JsonNode list = publicJson(project, "/api/public/traces" + query);
                        assertThat(ids(list.path("data"))).as("GET /api/public/traces" + query).containsExactly(traceId);
                        assertThat(list.path("meta").path("totalItems").asLong()).as("meta.totalItems of /api/public/traces" + query)
                                .isEqualTo(1);
                        JsonNode item = list.path("data").path(0);
                        assertThat(item.path("observations").size()).as("observation ids in the list's trace").isEqualTo(observations);
                        assertThat(item.path("observations").path(0).isTextual()).as("a list's trace has observation ids").isTrue();
                        assertThat(item.path("scores").size()).as("score ids in the list's trace").isEqualTo(3);
                        assertThat(item.path("totalCost").asDouble()).as("totalCost in the list's trace").isPositive();
                    }
                    JsonNode other = publicJson(project, "/api/public/traces?userId=" + q(userId + "-nobody"));
                    assertThat(other.path("data").size()).as("traces of another user").isZero();

                    JsonNode all = publicJson(project, "/api/public/observations?traceId=" + q(traceId));
                    assertThat(all.path("data").size()).as("GET /api/public/observations?traceId=").isEqualTo(observations);
                    assertThat(all.path("meta").path("totalItems").asLong()).as("meta.totalItems of observations").isEqualTo(observations);
                    JsonNode generations = publicJson(project, "/api/public/observations?traceId=" + q(traceId) + "&type=GENERATION");
                    assertThat(ids(generations.path("data"))).as("GET /api/public/observations?type=GENERATION").containsExactly(generationId);
                    assertThat(text(generations.path("data").path(0), "model")).as("model in the observations list").isEqualTo("gpt-4o-mini");
                    JsonNode one = publicJson(project, "/api/public/observations/" + q(generationId));
                    assertThat(text(one, "id")).as("GET /api/public/observations/{id}").isEqualTo(generationId);

                    JsonNode session = publicJson(project, "/api/public/sessions/" + q(sessionId));
                    assertThat(text(session, "id")).as("GET /api/public/sessions/{id}").isEqualTo(sessionId);
                    assertThat(ids(session.path("traces"))).as("traces of the session").containsExactly(traceId);
                    JsonNode sessions = publicJson(project, "/api/public/sessions");
                    assertThat(ids(sessions.path("data"))).as("GET /api/public/sessions").containsExactly(sessionId);

                    JsonNode scores = publicJson(project, "/api/public/v2/scores?traceId=" + q(traceId));
                    assertThat(scores.path("data").size()).as("GET /api/public/v2/scores?traceId=").isEqualTo(3);
                    assertScores(scores.path("data"), traceId, generationId, null);
                    JsonNode booleans = publicJson(project, "/api/public/v2/scores?dataType=BOOLEAN");
                    assertThat(names(booleans.path("data"))).as("GET /api/public/v2/scores?dataType=BOOLEAN").containsExactly("correct");
                });
    }

    /** Flywheel's own API, with the admin key: the trace as a tree of observations with tokens and cost, and its scores. */
    private void assertFlywheelsOwnView(Project project, String traceId, String rootId, String generationId, int observations,
                                        long inputTokens, long outputTokens) {
        String path = "/api/v1/llm/traces/" + q(traceId) + "?project=" + q(project.id());
        Answer answer = send(get(path).header("X-API-Key", adminKey));
        assertThat(answer.status()).as("GET " + path + " with the admin key: " + clip(answer.body())).isEqualTo(200);
        JsonNode trace = answer.json();
        assertThat(text(trace, "id")).as("Flywheel's trace id").isEqualTo(traceId);
        assertThat(text(trace, "project")).as("Flywheel's trace project").isEqualTo(project.id());
        assertThat(trace.path("observation_count").asInt()).as("observation_count").isEqualTo(observations);
        JsonNode totals = trace.path("totals");
        assertThat(totals.path("input_tokens").asLong()).as("totals.input_tokens: " + totals).isEqualTo(inputTokens);
        assertThat(totals.path("output_tokens").asLong()).as("totals.output_tokens: " + totals).isEqualTo(outputTokens);
        assertThat(totals.path("total_tokens").asLong()).as("totals.total_tokens: " + totals).isEqualTo(inputTokens + outputTokens);
        assertThat(totals.path("total_cost").asDouble()).as("totals.total_cost: " + totals).isPositive();
        assertThat(strings(trace.path("models"))).as("models").containsExactly("gpt-4o-mini");

        // the tree: one root (the v3 span, the v5 root span), every observation once, the generation below the root
        JsonNode roots = trace.path("observations");
        assertThat(ids(roots)).as("root observations of the tree").containsExactly(rootId);
        Map<String, String> parentOf = new HashMap<>();
        Map<String, JsonNode> nodes = new HashMap<>();
        walk(roots, null, parentOf, nodes);
        assertThat(nodes).as("observations in the tree").hasSize(observations);
        parentOf.forEach((id, parent) -> assertThat(text(nodes.get(id), "parent_observation_id"))
                .as("parent_observation_id of " + id + " matches its place in the tree").isEqualTo(parent));
        JsonNode generation = nodes.get(generationId);
        assertThat(generation).as("the generation in the tree").isNotNull();
        assertThat(generation.path("input_tokens").asLong()).as("generation input_tokens").isEqualTo(inputTokens);
        assertThat(generation.path("output_tokens").asLong()).as("generation output_tokens").isEqualTo(outputTokens);
        assertThat(generation.path("total_cost").asDouble()).as("generation total_cost").isPositive();
        assertThat(text(generation, "cost_source")).as("generation cost_source (no cost sent: the price table's)").isEqualTo("calculated");
        assertThat(nodes.get(rootId).path("totals").path("total_cost").asDouble()).as("the root's subtree total_cost")
                .isEqualTo(totals.path("total_cost").asDouble());
        assertThat(trace.path("scores").size()).as("Flywheel's trace scores").isEqualTo(3);
        System.out.printf("Flywheel's view of %s: %d observations, tokens %s, cost %s USD (%s)%n", traceId, nodes.size(),
                totals.path("total_tokens"), totals.path("total_cost"), generation.path("price"));
    }

    private static void walk(JsonNode children, String parent, Map<String, String> parentOf, Map<String, JsonNode> nodes) {
        for (JsonNode node : children) {
            String id = text(node, "id");
            assertThat(nodes).as("observation " + id + " appears once in the tree").doesNotContainKey(id);
            nodes.put(id, node);
            parentOf.put(id, parent);
            walk(node.path("children"), id, parentOf, nodes);
        }
    }

    // --- assertions on Langfuse's shapes ----------------------------------------------------------

    private static void assertObservation(JsonNode o, String traceId, String type, String name, String parentId) {
        assertThat(o).as("observation " + name).isNotNull();
        assertThat(text(o, "traceId")).as(name + " traceId").isEqualTo(traceId);
        assertThat(text(o, "type")).as(name + " type").isEqualTo(type);
        assertThat(text(o, "name")).as(name + " name").isEqualTo(name);
        assertThat(text(o, "parentObservationId")).as(name + " parentObservationId").isEqualTo(parentId);
        assertThat(text(o, "startTime")).as(name + " startTime").isNotBlank();
    }

    /** Model, model parameters, usage (the legacy object and usageDetails), and a cost nobody sent: the price table's. */
    private static void assertGeneration(JsonNode g, long input, long output, long total) {
        assertThat(text(g, "model")).as("generation model").isEqualTo("gpt-4o-mini");
        assertThat(g.path("modelParameters").path("temperature").asText()).as("modelParameters.temperature: " + g.path("modelParameters"))
                .isEqualTo("0.2");
        assertThat(g.path("modelParameters").path("max_tokens").asText()).as("modelParameters.max_tokens").isEqualTo("256");
        assertThat(g.path("input").isArray()).as("generation input (the messages): " + clip(g.path("input").toString())).isTrue();
        assertThat(g.path("output").path("content").asText()).as("generation output").isEqualTo("Paris");
        JsonNode details = g.path("usageDetails");
        assertThat(details.path("input").asLong()).as("usageDetails.input: " + details).isEqualTo(input);
        assertThat(details.path("output").asLong()).as("usageDetails.output: " + details).isEqualTo(output);
        assertThat(details.path("total").asLong()).as("usageDetails.total: " + details).isEqualTo(total);
        JsonNode usage = g.path("usage");
        assertThat(usage.path("input").asLong()).as("usage.input: " + usage).isEqualTo(input);
        assertThat(usage.path("output").asLong()).as("usage.output: " + usage).isEqualTo(output);
        assertThat(usage.path("total").asLong()).as("usage.total: " + usage).isEqualTo(total);
        assertThat(g.path("calculatedTotalCost").asDouble()).as("calculatedTotalCost (from the price table): " + g.path("costDetails"))
                .isPositive();
        assertThat(g.path("costDetails").path("total").asDouble()).as("costDetails.total: " + g.path("costDetails")).isPositive();
    }

    /** quality (NUMERIC, on the trace), tone (CATEGORICAL, on the generation), correct (BOOLEAN, on the generation). */
    private static void assertScores(JsonNode list, String traceId, String generationId, Double quality) {
        Map<String, JsonNode> scores = byName(list);
        assertThat(scores.keySet()).as("score names").containsExactlyInAnyOrder("quality", "tone", "correct");
        scores.values().forEach(s -> assertThat(text(s, "traceId")).as("traceId of score " + text(s, "name")).isEqualTo(traceId));
        JsonNode numeric = scores.get("quality");
        assertThat(text(numeric, "dataType")).as("quality dataType").isEqualTo("NUMERIC");
        if (quality != null) {
            assertThat(numeric.path("value").asDouble()).as("quality value").isEqualTo(quality);
        }
        assertThat(text(numeric, "observationId")).as("quality is a trace score").isNull();
        assertThat(text(numeric, "comment")).as("quality comment").isEqualTo("judged by the test");
        assertThat(text(numeric, "source")).as("quality source").isEqualTo("API");
        JsonNode categorical = scores.get("tone");
        assertThat(text(categorical, "dataType")).as("tone dataType").isEqualTo("CATEGORICAL");
        assertThat(text(categorical, "stringValue")).as("tone stringValue").isEqualTo("friendly");
        assertThat(text(categorical, "observationId")).as("tone observationId").isEqualTo(generationId);
        JsonNode bool = scores.get("correct");
        assertThat(text(bool, "dataType")).as("correct dataType").isEqualTo("BOOLEAN");
        assertThat(bool.path("value").asDouble()).as("correct value").isEqualTo(1.0);
        assertThat(text(bool, "stringValue")).as("correct stringValue").isEqualTo("True");
        assertThat(text(bool, "observationId")).as("correct observationId").isEqualTo(generationId);
    }

    // --- HTTP ------------------------------------------------------------------------------------

    private Project newProject(String name) {
        Answer answer = send(HttpRequest.newBuilder(gateway.resolve("/api/v1/llm/projects")).timeout(Duration.ofSeconds(15))
                .header("X-API-Key", adminKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")));
        if (answer.status() != 201) {
            fail("POST /api/v1/llm/projects {\"name\":\"" + name + "\"} with the admin key answered " + answer.status() + " ("
                    + clip(answer.body()) + "): the gateway cannot make LLM projects");
        }
        JsonNode body = answer.json();
        for (String field : List.of("id", "name", "public_key", "created_at")) {
            assertThat(text(body, field)).as(field + " in the new project's answer (fields: " + fieldNames(body) + ")").isNotBlank();
        }
        assertThat(text(body, "name")).as("the new project's name").isEqualTo(name);
        assertThat(text(body, "public_key")).as("public_key").startsWith("pk-lf-");
        String secret = text(body, "secret_key");
        // never in a message: the test run's logs are searched for secrets
        assertThat(secret != null && secret.startsWith("sk-lf-")).as("secret_key in the new project's answer, sk-lf-… (fields: "
                + fieldNames(body) + ")").isTrue();
        return new Project(text(body, "id"), text(body, "name"), text(body, "public_key"), text(body, "secret_key"));
    }

    private JsonNode publicJson(Project project, String path) {
        Answer answer = send(get(path).header("Authorization", project.basic()));
        assertThat(answer.status()).as("GET " + path + ": " + clip(answer.body())).isEqualTo(200);
        return answer.json();
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(gateway.resolve(path)).timeout(Duration.ofSeconds(15)).GET();
    }

    private Answer send(HttpRequest.Builder request) {
        HttpRequest built = request.build();
        try {
            HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new AssertionError(built.method() + " " + built.uri().getPath() + ": no answer from the gateway (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // --- JSON helpers ----------------------------------------------------------------------------

    private static String run() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A field's text; null when it is missing or JSON null. */
    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static List<String> ids(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(n -> n.isTextual() ? n.asText() : text(n, "id")).toList();
    }

    private static List<String> names(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(n -> text(n, "name")).toList();
    }

    private static Map<String, JsonNode> byId(JsonNode array) {
        Map<String, JsonNode> map = new LinkedHashMap<>();
        array.forEach(n -> map.put(text(n, "id"), n));
        return map;
    }

    private static Map<String, JsonNode> byName(JsonNode array) {
        Map<String, JsonNode> map = new LinkedHashMap<>();
        array.forEach(n -> {
            assertThat(map).as("one score named " + text(n, "name")).doesNotContainKey(text(n, "name"));
            map.put(text(n, "name"), n);
        });
        return map;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String clip(String text) {
        return text == null ? "" : text.length() > 400 ? text.substring(0, 400) + "…" : text;
    }
}
