package io.flywheel.retrain.job;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.events.DriftDetected;
import io.flywheel.events.PromotionRequested;
import io.flywheel.events.RetrainJobChanged;
import io.flywheel.linear.LinearModel;
import io.flywheel.retrain.storage.ObjectStore;
import io.flywheel.retrain.support.LabelledSegments;
import io.flywheel.retrain.support.Policies;
import io.flywheel.retrain.support.RegistryFixture;
import io.flywheel.retrain.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.flywheel.retrain.support.CloudEventRecords.cloudEvent;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * The loop over the real PostgreSQL, Kafka, S3 and registry: a drift event starts exactly one job
 * that assembles and registers the training set, trains, beats the champion on the same holdout,
 * registers the candidate with its lineage and asks deploy to promote it; a worse candidate is
 * rejected and nobody is asked to promote it.
 */
@QuarkusTest
class RetrainLoopTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ObjectStore store;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.incoming.monitor-events.topic")
    String monitorTopic;

    @ConfigProperty(name = "mp.messaging.outgoing.outbox.topic")
    String retrainTopic;

    private static String model(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String drift(String model) {
        return """
                {"model":"%s","version":1,"drifted_features":["x1","x2"],"share_drifted":0.5,
                 "window_start":"2026-11-26T09:00:00Z","window_end":"2026-11-26T10:00:00Z",
                 "samples":300,"detected_at":"2026-11-26T10:00:01Z","evidence":{}}""".formatted(model);
    }

    @Test
    void aDriftEventDeliveredTwiceStartsOneJobThatEndsInARegisteredCandidateAndAPromotionRequest() throws Exception {
        String model = model("loop");
        RegistryFixture.createModel(model);
        int champion = RegistryFixture.registerChampion(model, RegistryFixture.trained(300, 91, List.of("noise")));
        Instant labelledAt = Instant.now().minus(Duration.ofMinutes(10));
        List<Map<String, Object>> rows = Rows.churn(300, 17);
        LabelledSegments.write(store, model, rows.subList(0, 150), labelledAt);
        LabelledSegments.write(store, model, rows.subList(150, 300), labelledAt.plusSeconds(1));
        Policies.put(model, Policies.churn("\"cooldown\": \"PT1H\""));

        String eventId = UUID.randomUUID().toString();
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> out = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(retrainTopic)) {
            kafka.produceStrings().fromRecords(List.of(
                    cloudEvent(monitorTopic, eventId, model, DriftDetected.TYPE, drift(model)),
                    cloudEvent(monitorTopic, eventId, model, DriftDetected.TYPE, drift(model)),
                    // the monitor reporting the same window again under another id
                    cloudEvent(monitorTopic, UUID.randomUUID().toString(), model, DriftDetected.TYPE, drift(model)))).awaitCompletion();

            // every delivery is recorded; one is accepted, the repeats are refused as duplicates
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    given().queryParam("model", model).get("/api/v1/retrain/triggers").then().statusCode(200)
                            .body("items", hasSize(3))
                            .body("items.findAll { it.decision == 'accepted' }", hasSize(1))
                            .body("items.findAll { it.rule == 'duplicate' }", hasSize(2)));
            JsonPath triggers = given().queryParam("model", model).get("/api/v1/retrain/triggers").then().extract().jsonPath();
            String jobId = triggers.getString("items.find { it.decision == 'accepted' }.job_id");
            assertThat(triggers.getList("items.findAll { it.rule == 'duplicate' }.reason", String.class))
                    .anyMatch(r -> r.startsWith("duplicate: event " + eventId + " was already received as trigger"))
                    .anyMatch(r -> r.contains("reported the same drift:v1:2026-11-26T09:00:00Z/2026-11-26T10:00:00Z"));

            await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    given().get("/api/v1/retrain/jobs/" + jobId).then().statusCode(200).body("state", equalTo("promotion-requested")));
            given().queryParam("model", model).get("/api/v1/retrain/jobs").then().statusCode(200).body("items", hasSize(1));

            JsonPath job = given().get("/api/v1/retrain/jobs/" + jobId).then().extract().jsonPath();
            assertThat(job.getList("transitions.to", String.class)).containsExactly("pending", "preparing-data", "training", "evaluating",
                    "registering", "promotion-requested");
            assertThat(job.getString("trigger.kind")).isEqualTo("drift");
            assertThat(job.getInt("data.rows")).isEqualTo(300);
            assertThat(job.getInt("data.train_rows")).isEqualTo(240);
            assertThat(job.getInt("data.holdout_rows")).isEqualTo(60);
            assertThat(job.getInt("champion_version")).isEqualTo(champion);
            assertThat(job.getString("evaluation.decision")).isEqualTo("promote");
            assertThat(job.getDouble("evaluation.candidate.roc_auc")).isGreaterThan(job.getDouble("evaluation.champion.roc_auc") + 0.02);
            assertThat(job.getInt("evaluation.holdout_rows")).isEqualTo(60);
            assertThat(job.getList("log.message", String.class)).anyMatch(m -> m.startsWith("training set: 300 rows"))
                    .anyMatch(m -> m.startsWith("fitted: objective"));
            int candidate = job.getInt("candidate_version");
            String datasetVersion = job.getString("data.dataset_version");

            // the training set is a registered dataset version whose id is the SHA-256 of exactly the rows trained on
            JsonPath dataset = RegistryFixture.datasetVersion(model + "-retrain", datasetVersion);
            assertThat(dataset.getLong("rows")).isEqualTo(300);
            byte[] content = RegistryFixture.datasetContent(model + "-retrain", datasetVersion);
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content))).isEqualTo(datasetVersion);

            // the candidate: ready, with full lineage and the evaluation attached
            JsonPath version = RegistryFixture.version(model, candidate);
            assertThat(version.getString("status")).isEqualTo("ready");
            assertThat(version.getString("framework")).isEqualTo("flywheel-linear");
            assertThat(version.getString("lineage.retrain_job")).isEqualTo(jobId);
            assertThat(version.getInt("lineage.parent_version")).isEqualTo(champion);
            assertThat(version.getString("lineage.dataset_versions[0].dataset")).isEqualTo(model + "-retrain");
            assertThat(version.getString("lineage.dataset_versions[0].id")).isEqualTo(datasetVersion);
            assertThat(version.getString("lineage.code.commit")).matches("[0-9a-f]{40}");
            assertThat(version.getString("tags.'retrain.decision'")).isEqualTo("candidate");
            assertThat(version.getString("tags.'evaluation.decision'")).isEqualTo("promote");
            assertThat(version.getString("tags.'evaluation.champion_version'")).isEqualTo(String.valueOf(champion));
            assertThat(version.getDouble("metrics.roc_auc")).isEqualTo(job.getDouble("evaluation.candidate.roc_auc"));
            assertThat(version.getList("signature.inputs.name", String.class)).containsExactly("noise", "plan", "x1", "x2");
            LinearModel artifact = LinearModel.fromJson(RegistryFixture.artifact(model, candidate));
            assertThat(artifact.artifact().training().holdoutRows()).isEqualTo(60);
            assertThat(artifact.artifact().trainedAt()).isEqualTo(Instant.parse(job.getString("created_at")).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));

            // promotion.requested for deploy, and the job's changes, on flywheel.retrain (key = model)
            await().atMost(Duration.ofSeconds(30)).until(() -> recordsOf(out, model, PromotionRequested.TYPE).size() == 1);
            ConsumerRecord<String, String> request = recordsOf(out, model, PromotionRequested.TYPE).getFirst();
            JsonNode promotion = JSON.readTree(request.value());
            assertThat(promotion.get("model").asText()).isEqualTo(model);
            assertThat(promotion.get("version").asInt()).isEqualTo(candidate);
            assertThat(promotion.get("environment").asText()).isEqualTo("staging");
            assertThat(promotion.get("job_id").asText()).isEqualTo(jobId);
            assertThat(promotion.get("evidence").get("metric").asText()).isEqualTo("roc_auc");
            assertThat(promotion.get("evidence").get("champion_version").asInt()).isEqualTo(champion);
            assertThat(promotion.get("requested_at").asText()).isNotBlank();
            assertThat(header(request, "ce_source")).isEqualTo("flywheel/retrain-service");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(recordsOf(out, model, RetrainJobChanged.TYPE).stream()
                    .map(r -> read(r.value()).get("state").asText()).toList())
                    .containsExactly("pending", "preparing-data", "training", "evaluating", "registering", "promotion-requested"));
        }
    }

    @Test
    void aWorseCandidateIsRegisteredAsRejectedAndNoPromotionIsRequested() {
        String model = model("worse");
        RegistryFixture.createModel(model);
        int champion = RegistryFixture.registerChampion(model, RegistryFixture.trained(2000, 92, null));
        LabelledSegments.write(store, model, Rows.churn(300, 18), Instant.now().minus(Duration.ofMinutes(10)));
        // the candidate may only use a feature that carries no signal
        Policies.put(model, """
                {"data": {"window": "P1D"},
                 "trainer": {"params": {"task": "binary-classification", "target": "churned", "features": ["noise"]}},
                 "evaluation": {"metric": "roc_auc", "margin": 0.0}}""");

        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> out = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(retrainTopic)) {
            String jobId = given().contentType("application/json").body(Map.of("model", model, "reason", "worse candidate test"))
                    .post("/api/v1/retrain/jobs").then().statusCode(201).extract().path("id");

            await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    given().get("/api/v1/retrain/jobs/" + jobId).then().statusCode(200).body("state", equalTo("rejected")));
            JsonPath job = given().get("/api/v1/retrain/jobs/" + jobId).then().extract().jsonPath();
            assertThat(job.getString("evaluation.decision")).isEqualTo("reject");
            assertThat(job.getDouble("evaluation.improvement")).isNegative();
            assertThat(job.getString("reason")).contains("registered as rejected: does not beat the champion by the margin");
            int candidate = job.getInt("candidate_version");
            JsonPath version = RegistryFixture.version(model, candidate);
            assertThat(version.getString("tags.'retrain.decision'")).isEqualTo("rejected");
            assertThat(version.getInt("lineage.parent_version")).isEqualTo(champion);
            assertThat(version.getString("tags.'evaluation.report'")).contains("\"decision\":\"reject\"");

            // the rejection and a promotion request would leave in the same transaction: seeing one, nothing else follows
            await().atMost(Duration.ofSeconds(30)).until(() -> recordsOf(out, model, RetrainJobChanged.TYPE).stream()
                    .anyMatch(r -> read(r.value()).get("state").asText().equals("rejected")));
            assertThat(recordsOf(out, model, PromotionRequested.TYPE)).isEmpty();
        }
    }

    @Test
    void aLosingCandidateIsNotRegisteredWhenThePolicySaysSo() {
        String model = model("unregistered");
        RegistryFixture.createModel(model);
        int champion = RegistryFixture.registerChampion(model, RegistryFixture.trained(2000, 93, null));
        LabelledSegments.write(store, model, Rows.churn(200, 19), Instant.now().minus(Duration.ofMinutes(10)));
        Policies.put(model, """
                {"data": {"window": "P1D"},
                 "trainer": {"params": {"task": "binary-classification", "target": "churned", "features": ["noise"]}},
                 "evaluation": {"margin": 0.0, "register_rejected": false}}""");

        String jobId = given().contentType("application/json").body(Map.of("model", model))
                .post("/api/v1/retrain/jobs").then().statusCode(201).extract().path("id");

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                given().get("/api/v1/retrain/jobs/" + jobId).then().statusCode(200).body("state", equalTo("rejected")));
        JsonPath job = given().get("/api/v1/retrain/jobs/" + jobId).then().extract().jsonPath();
        assertThat(job.getString("candidate_version")).isNull();
        assertThat(job.getList("transitions.to", String.class)).containsExactly("pending", "preparing-data", "training", "evaluating", "rejected");
        assertThat(job.getString("reason")).startsWith("rejected, not registered (policy)");
        assertThat(RegistryFixture.versionStatus(model, champion + 1)).isEqualTo(404);
    }

    @Test
    void aBaseDatasetFromTheRegistryIsPartOfTheTrainingSetAndOfTheLineage() {
        String model = model("based");
        String base = model + "-base";
        RegistryFixture.createModel(model);
        StringBuilder csv = new StringBuilder("x1,x2,plan,noise,churned\n");
        for (Map<String, Object> row : Rows.churn(100, 24)) {
            csv.append(row.get("x1")).append(',').append(row.get("x2")).append(',').append(row.get("plan")).append(',')
                    .append(row.get("noise")).append(',').append(row.get("churned")).append('\n');
        }
        String baseId = RegistryFixture.registerDataset(base, csv.toString());
        LabelledSegments.write(store, model, Rows.churn(100, 25), Instant.now().minus(Duration.ofMinutes(10)));
        Policies.put(model, """
                {"data": {"window": "P1D", "base_dataset": {"name": "%s"}},
                 "trainer": {"params": {"task": "binary-classification", "target": "churned"}}}""".formatted(base));

        String jobId = given().contentType("application/json").body(Map.of("model", model)).post("/api/v1/retrain/jobs")
                .then().statusCode(201).extract().path("id");

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                given().get("/api/v1/retrain/jobs/" + jobId).then().statusCode(200).body("state", equalTo("promotion-requested")));
        JsonPath job = given().get("/api/v1/retrain/jobs/" + jobId).then().extract().jsonPath();
        assertThat(job.getInt("data.rows")).isEqualTo(200);
        assertThat(job.getString("data.base_dataset")).isEqualTo(base);
        assertThat(job.getString("data.base_dataset_version")).isEqualTo(baseId);
        assertThat(job.getString("evaluation.reason")).startsWith("no champion to beat");
        JsonPath version = RegistryFixture.version(model, job.getInt("candidate_version"));
        assertThat(version.getList("lineage.dataset_versions.dataset", String.class)).containsExactly(model + "-retrain", base);
        assertThat(version.getList("lineage.dataset_versions.id", String.class)).containsExactly(job.getString("data.dataset_version"), baseId);
        assertThat(version.getString("lineage.parent_version")).isNull();
        // the registered training set starts with the base rows, in their order
        String content = new String(RegistryFixture.datasetContent(model + "-retrain", job.getString("data.dataset_version")), StandardCharsets.UTF_8);
        assertThat(content.lines().count()).isEqualTo(200);
        assertThat(content.lines().findFirst().orElseThrow()).startsWith("{\"noise\":");
    }

    private static List<ConsumerRecord<String, String>> recordsOf(ConsumerTask<String, String> task, String model, String type) {
        return task.stream().filter(r -> model.equals(r.key())).filter(r -> type.equals(header(r, "ce_type"))).toList();
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
