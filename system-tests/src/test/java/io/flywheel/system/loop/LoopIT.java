package io.flywheel.system.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.events.DeploymentChanged;
import io.flywheel.events.DriftDetected;
import io.flywheel.events.PromotionRequested;
import io.flywheel.events.Topics;
import io.flywheel.system.support.TestStack;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The closed loop end to end: the demo's story (deploy/local/demo.sh, one scenario for both) played
 * against the test stack, whose services run the demo profile, then every transition checked in order
 * with its evidence, from the services' own records and from Kafka: the first job started by hand,
 * v1 taken to production by the promotion policy, drift detected, v2 retrained, canaried, judged
 * against v1 and promoted, then v3 (better offline, worse live) canaried and rolled back by the
 * judge, the champion alias following production throughout.
 */
class LoopIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI gateway = TestStack.gateway();
    private final String key = TestStack.adminKey();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theLoopClosesWithNobodyInItAndAWorseCandidateIsRolledBackByItself() throws Exception {
        String model = "loop-" + UUID.randomUUID().toString().substring(0, 8);
        Instant began = Instant.now();
        playTheDemo(model);

        // retraining: the first job by hand, v2 by drift, v3 by the schedule; each through every state in order
        List<JsonNode> jobs = new ArrayList<>();
        for (JsonNode item : get("/api/v1/retrain/jobs?model=" + model + "&limit=10").path("items")) {
            jobs.add(get("/api/v1/retrain/jobs/" + item.path("id").asText()));
        }
        assertThat(jobs).hasSize(3);
        jobs.sort((a, b) -> a.path("created_at").asText().compareTo(b.path("created_at").asText()));
        assertThat(jobs.stream().map(j -> j.path("trigger").path("kind").asText()).toList()).containsExactly("manual", "drift", "schedule");
        assertThat(jobs.stream().map(j -> j.path("candidate_version").asInt()).toList()).containsExactly(1, 2, 3);
        for (JsonNode job : jobs) {
            JsonNode detail = get("/api/v1/retrain/jobs/" + job.path("id").asText());
            assertThat(detail.path("state").asText()).isEqualTo("promotion-requested");
            List<String> states = new ArrayList<>();
            detail.path("transitions").forEach(t -> states.add(t.path("to").asText()));
            if (detail.path("candidate_version").asInt() == 1) { // the first policy declares no model tests
                assertThat(states).containsExactly("pending", "preparing-data", "training", "evaluating", "registering", "promotion-requested");
            } else { // retrained candidates pass the model tests (directional, latency, slices) before staging
                assertThat(states).containsExactly("pending", "preparing-data", "training", "evaluating", "testing", "registering",
                        "promotion-requested");
                assertThat(detail.path("model_tests").path("passed").asBoolean()).as(detail.path("model_tests").toString()).isTrue();
                // a directional test, a latency budget, and a minimum roc_auc per plan (one result per plan seen)
                assertThat(detail.path("model_tests").path("total").asInt()).isGreaterThanOrEqualTo(3);
                assertThat(detail.path("model_tests").path("failed").asInt()).isZero();
            }
        }
        // v3 beat the champion on its own holdout: that is why only live evidence could stop it
        JsonNode v3Evaluation = jobs.get(2).path("evaluation");
        assertThat(v3Evaluation.path("champion_version").asInt()).isEqualTo(2);

        // production, oldest first: every decision the promotion policy's
        List<JsonNode> production = history(model, "production");
        assertThat(production.stream().map(h -> h.path("action").asText() + " v" + h.path("version").asInt()).toList())
                .containsExactly("promoted v1", "canary-started v2", "canary-completed v2", "canary-started v3", "rolled-back v3");
        assertThat(production).allSatisfy(h -> assertThat(h.path("actor").asText()).isEqualTo("policy"));
        assertThat(production.get(0).path("evidence").path("request").path("soaked_seconds").asDouble()).isGreaterThanOrEqualTo(15);
        JsonNode completed = production.get(2).path("evidence").path("judge");
        assertThat(completed.path("quality").path("status").asText()).isEqualTo("passed");
        assertThat(completed.path("quality").path("candidate").asDouble())
                .isGreaterThanOrEqualTo(completed.path("quality").path("champion").asDouble() - 0.05);
        assertThat(completed.path("error_rate").path("status").asText()).isEqualTo("passed");
        assertThat(completed.path("latency_p99").path("status").asText()).isEqualTo("passed");
        JsonNode rolledBack = production.get(4).path("evidence");
        assertThat(rolledBack.path("trigger").asText()).isEqualTo("canary-judge");
        assertThat(rolledBack.path("failed").toString()).contains("quality");
        assertThat(rolledBack.path("judge").path("quality").path("candidate").asDouble())
                .isLessThan(rolledBack.path("judge").path("quality").path("champion").asDouble() - 0.05);
        assertThat(get("/api/v1/deployments/" + model + "/production").path("live_versions").toString()).isEqualTo("[2]");
        assertThat(get("/api/v1/models/" + model + "/aliases/champion").path("version").asInt()).isEqualTo(2);

        // staging: each winner, put there because retraining asked
        assertThat(history(model, "staging").stream().map(h -> h.path("action").asText() + " v" + h.path("version").asInt()
                + " by " + h.path("actor").asText()).toList())
                .containsExactly("promoted v1 by retrain", "promoted v2 by retrain", "promoted v3 by retrain");

        // the dashboard's timeline tells it oldest first, the judge's numbers with it
        String timeline = html("/dashboard/models/" + model + "/timeline").replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ");
        assertThat(timeline).containsSubsequence(
                "yet, so the canary of version 1 takes all traffic at once",
                "canary of version 2 started at 50% of traffic",
                "canary of version 2 completed",
                "canary of version 3 started at 50% of traffic",
                "the canary of version 3 was rolled back; version 2 keeps all traffic");
        assertThat(timeline).contains("judge.quality.candidate");
        assertThat(html("/dashboard/models/" + model)).contains("Promotion policy: by itself: staging → production after PT15S and 20 predictions");

        // the same story on Kafka, in causal order
        List<String> story = events(model, began);
        assertThat(story).containsSubsequence(
                PromotionRequested.TYPE + " v1",
                DeploymentChanged.TYPE + " promoted v1 by policy",
                DriftDetected.TYPE + " v1",
                PromotionRequested.TYPE + " v2",
                DeploymentChanged.TYPE + " canary-started v2 by policy",
                DeploymentChanged.TYPE + " canary-completed v2 by policy",
                PromotionRequested.TYPE + " v3",
                DeploymentChanged.TYPE + " canary-started v3 by policy",
                DeploymentChanged.TYPE + " rolled-back v3 by policy");
    }

    /** Runs deploy/local/demo.sh against the test stack, its narration passed through as progress. */
    private void playTheDemo(String model) throws IOException, InterruptedException {
        Path demo = TestStack.launcher().toAbsolutePath().getParent().resolve("deploy/local/demo.sh");
        ProcessBuilder builder = new ProcessBuilder("bash", demo.toString()).redirectErrorStream(true);
        builder.environment().put("FLYWHEEL_GATEWAY", gateway.toString());
        builder.environment().put("FLYWHEEL_KEY", key);
        builder.environment().put("FLYWHEEL_DEMO_MODEL", model);
        builder.environment().put("FLYWHEEL_DEMO_TRAINER", "linear");
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                System.out.println("[demo] " + line);
                output.append(line).append('\n');
            }
        }
        if (!process.waitFor(20, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the demo did not finish in 20 minutes:\n" + output);
        }
        assertThat(process.exitValue()).as("the demo's exit status; its output:\n" + output).isZero();
    }

    private List<JsonNode> history(String model, String environment) throws IOException, InterruptedException {
        List<JsonNode> items = new ArrayList<>();
        get("/api/v1/deployments/" + model + "/" + environment + "/history?limit=100").path("items").forEach(items::add);
        return items.reversed();
    }

    private String html(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(gateway.resolve(path)).header("X-API-Key", key)
                .header("Accept", "text/html").timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(gateway.resolve(path)).header("X-API-Key", key)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** The model's control events since the test began, as "type action vN by actor" lines in log order per topic, merged by time. */
    private List<String> events(String model, Instant since) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.property("flywheel.test.kafka", "127.0.0.1:19092"));
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        record Event(long time, String line) {
        }
        List<Event> events = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.DEPLOY, Topics.MONITOR, Topics.RETRAIN)) {
                consumer.partitionsFor(topic, Duration.ofSeconds(10)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndTimestamp> start = consumer.offsetsForTimes(
                    partitions.stream().collect(java.util.stream.Collectors.toMap(p -> p, p -> since.toEpochMilli())));
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            partitions.forEach(p -> {
                var at = start.get(p);
                consumer.seek(p, at == null ? end.get(p) : at.offset());
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (model.equals(r.key())) {
                        events.add(new Event(r.timestamp(), describe(r)));
                    }
                }
            }
        }
        events.sort((a, b) -> Long.compare(a.time(), b.time()));
        return events.stream().map(Event::line).toList();
    }

    private static String describe(ConsumerRecord<String, String> r) {
        Header type = r.headers().lastHeader("ce_type");
        String t = type == null ? "?" : new String(type.value(), StandardCharsets.UTF_8);
        try {
            JsonNode data = JSON.readTree(r.value());
            return switch (t) {
                case DeploymentChanged.TYPE -> data.path("environment").asText().equals("production")
                        ? t + " " + data.path("action").asText() + " v" + data.path("version").asInt() + " by " + data.path("actor").asText()
                        : t + " " + data.path("environment").asText();
                default -> t + " v" + data.path("version").asInt();
            };
        } catch (IOException e) {
            return t + " (not JSON)";
        }
    }
}
