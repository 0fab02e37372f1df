package io.flywheel.system.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.system.support.TestStack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's LLM act (deploy/local/demo-llm.sh) played against the test stack, then checked from the
 * services' own records: the bot's answers arrived through Langfuse's JS SDK as traces whose
 * generations name the prompt version they used, the online evaluator scored every one, per version
 * (v1 and the optimised v3 all bare answers, the teammate's v2 none); the score monitor reported v2's
 * drop once; that report started retrain's optimisation by policy, which registered v3 with the
 * winning experiment as its lineage and asked deploy to roll it out; deploy's canary split the bot's
 * sessions and promoted v3, moving production, with nobody in the loop after the teammate's change.
 */
class LlmLoopIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMPT = "support/answer";
    private final URI gateway = TestStack.gateway();
    private final String key = TestStack.adminKey();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void nodeIsThere() {
        NodeSdks.requireNode();
    }

    @Test
    void aPromptWhoseScoresDropIsOptimisedCanariedAndPromotedWithNobodyInTheLoop() throws Exception {
        String name = "llm-loop-" + UUID.randomUUID().toString().substring(0, 8);
        Instant began = Instant.now();
        playTheAct(name);
        String project = projectId(name);

        JsonNode versions = get("/api/v1/prompts/" + PROMPT + "/versions?project=" + project);
        assertThat(versions.path("items").size()).as(versions.toString()).isEqualTo(3);
        JsonNode production = get("/api/v1/prompts/" + PROMPT + "?project=" + project + "&label=production");
        assertThat(production.path("version").asInt()).isEqualTo(3);
        assertThat(production.path("created_by").asText()).isEqualTo("retrain-service");

        // the optimisation: started by the monitor's report, by policy; v3's lineage is its winning experiment
        JsonNode optimisation = get("/api/v1/evaluation/optimisations?project=" + project + "&prompt=" + PROMPT).path("items").get(0);
        assertThat(optimisation.path("state").asText()).isEqualTo("promotion_requested");
        assertThat(optimisation.path("candidate_version").asInt()).isEqualTo(3);
        assertThat(optimisation.path("trigger").toString()).contains("quality");
        String winningRun = optimisation.path("candidates").get(optimisation.path("best_index").asInt()).path("run_id").asText();
        assertThat(optimisation.path("evidence").path("candidate_run_id").asText()).isEqualTo(winningRun);
        assertThat(optimisation.path("best_mean").asDouble()).isEqualTo(1.0);
        assertThat(production.path("experiment_id").asText()).isNotBlank().isEqualTo(winningRun);
        JsonNode triggers = get("/api/v1/evaluation/optimisation-triggers?project=" + project + "&prompt=" + PROMPT).path("items");
        assertThat(triggers.get(0).path("decision").asText()).isEqualTo("accepted");
        assertThat(triggers.get(0).path("version").asInt()).isEqualTo(2);

        // deploy's canary of v3 against v2, promoted by its policy
        JsonNode rollout = get("/api/v1/deployments/prompts/" + PROMPT + "/rollouts?project=" + project).path("items").get(0);
        assertThat(rollout.path("status").asText()).isEqualTo("promoted");
        assertThat(rollout.path("candidate_version").asInt()).isEqualTo(3);
        assertThat(rollout.path("baseline_version").asInt()).isEqualTo(2);

        // every answer traced with its generation linked to the prompt version the bot used
        Map<Integer, Integer> generations = new HashMap<>();
        String cursor = null;
        do {
            // the bot's generations (the optimisation's experiments add their own, named chat-completion)
            JsonNode page = get("/api/v1/llm/observations?project=" + project + "&type=GENERATION&name=answer&limit=500"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            for (JsonNode o : page.path("items")) {
                assertThat(o.path("prompt_name").asText()).isEqualTo(PROMPT);
                generations.merge(o.path("prompt_version").asInt(), 1, Integer::sum);
            }
            cursor = page.path("next_cursor").isTextual() ? page.path("next_cursor").asText() : null;
        } while (cursor != null);
        // v1 30 answers; v2 30 in production and its share of the canary's sessions; v3 the rest and 20 in production
        assertThat(generations.keySet()).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(generations.get(1)).isEqualTo(30);
        assertThat(generations.get(2)).isGreaterThan(30);
        assertThat(generations.get(3)).isGreaterThan(30);

        // the online evaluator's scores per version: v1 all bare answers, v2 none
        JsonNode series = get("/api/v1/llm/scores/series?project=" + project + "&name=bare_answer&group_by=prompt&interval=PT1H&from="
                + began.minus(Duration.ofHours(1)) + "&to=" + Instant.now().plus(Duration.ofMinutes(5)));
        Map<Integer, double[]> byVersion = new HashMap<>();
        for (JsonNode s : series.path("series")) {
            double count = 0, sum = 0;
            for (JsonNode point : s.path("points")) {
                count += point.path("count").asDouble();
                sum += point.path("count").asDouble() * point.path("mean").asDouble(0);
            }
            byVersion.put(s.path("prompt_version").asInt(), new double[]{count, sum / count});
        }
        assertThat(byVersion.keySet()).containsExactlyInAnyOrder(1, 2, 3);
        // every answer scored (v2 also has the optimisation's baseline run, scored like production traffic)
        assertThat(byVersion.get(1)).containsExactly(30, 1.0);
        assertThat(byVersion.get(2)[0]).isGreaterThanOrEqualTo(generations.get(2));
        assertThat(byVersion.get(2)[1]).isEqualTo(0.0);
        assertThat(byVersion.get(3)).containsExactly(generations.get(3), 1.0);

        // the drop reported once, for v2, and sent
        List<JsonNode> degradations = new ArrayList<>();
        get("/api/v1/llm/score-monitors/degradations?project=" + project).forEach(degradations::add);
        assertThat(degradations).hasSize(1);
        JsonNode event = degradations.getFirst().path("event");
        assertThat(degradations.getFirst().path("sent").asBoolean()).isTrue();
        assertThat(event.path("kind").asText()).isEqualTo("llm_score");
        assertThat(event.path("metric").asText()).isEqualTo("score_mean");
        assertThat(event.path("llm").path("prompt_name").asText()).isEqualTo(PROMPT);
        assertThat(event.path("llm").path("prompt_version").asInt()).isEqualTo(2);
        assertThat(event.path("value").asDouble()).isEqualTo(0.0);
    }

    /** Runs deploy/local/demo-llm.sh against the test stack, its narration passed through as progress. */
    private void playTheAct(String project) throws IOException, InterruptedException {
        Path launcher = TestStack.launcher().toAbsolutePath();
        Path act = launcher.getParent().resolve("deploy/local/demo-llm.sh");
        ProcessBuilder builder = new ProcessBuilder("bash", act.toString()).redirectErrorStream(true);
        builder.environment().put("FLYWHEEL_GATEWAY", gateway.toString());
        builder.environment().put("FLYWHEEL_KEY", key);
        builder.environment().put("FLYWHEEL_LLM_BASE_URL", TestStack.property("flywheel.test.llm", "http://127.0.0.1:18090/v1"));
        builder.environment().put("FLYWHEEL_DEMO_STATE", launcher.getParent().resolve(".flywheel/test/demo").toString());
        builder.environment().put("FLYWHEEL_DEMO_LLM_PROJECT", project);
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                System.out.println("[llm act] " + line);
                output.append(line).append('\n');
            }
        }
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the LLM act did not finish in 10 minutes:\n" + output);
        }
        assertThat(process.exitValue()).as("the LLM act's exit status; its output:\n" + output).isZero();
    }

    private String projectId(String name) throws IOException, InterruptedException {
        for (JsonNode p : get("/api/v1/llm/projects").path("items")) {
            if (name.equals(p.path("name").asText())) {
                return p.path("id").asText();
            }
        }
        throw new AssertionError("no LLM project named " + name);
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(gateway.resolve(path)).header("X-API-Key", key)
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
