package io.flywheel.registry.outbox;

import io.flywheel.internalauth.TestCallers;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.flywheel.registry.Fixtures.createDataset;
import static io.flywheel.registry.Fixtures.createDraft;
import static io.flywheel.registry.Fixtures.createModel;
import static io.flywheel.registry.Fixtures.randomBytes;
import static io.flywheel.registry.Fixtures.sha256Hex;
import static io.flywheel.registry.Fixtures.upload;
import static io.flywheel.registry.Fixtures.uploadCsv;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Each registry event type reaches the real broker as a binary-mode CloudEvent keyed by model (or dataset). */
@QuarkusTest
class RegistryEventsTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.outgoing.outbox.topic")
    String topic;

    private ConsumerRecord<String, String> awaitEvent(String key, String type) {
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> records = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(topic)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> records.stream().anyMatch(r -> key.equals(r.key()) && type.equals(header(r, "ce_type"))));
            ConsumerRecord<String, String> record = records.stream()
                    .filter(r -> key.equals(r.key()) && type.equals(header(r, "ce_type"))).findFirst().orElseThrow();
            assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
            assertThat(header(record, "ce_source")).isEqualTo("flywheel/registry-service");
            assertThat(header(record, "ce_id")).isNotBlank();
            return record;
        }
    }

    @Test
    void aFinalisedVersionIsAnnounced() {
        String dataset = createDataset("events-train");
        String datasetVersion = uploadCsv(dataset, "a,b\n1,2\n");
        String model = createModel("events-version");
        int parent = createDraft(model);
        upload(model, parent, randomBytes(10));
        int version = createDraft(model, """
                {"framework": "flywheel-linear", "format": "json", "metrics": {"auc": 0.8},
                 "lineage": {"dataset_versions": [{"dataset": "%s", "id": "%s"}], "retrain_job": "job-1", "parent_version": %d}}"""
                .formatted(dataset, datasetVersion, parent));
        byte[] artifact = randomBytes(100);
        upload(model, version, artifact);

        // the parent was announced too: pick this version's event
        ConsumerRecord<String, String> record = awaitVersion(model, version);
        assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(record, "ce_id")).isNotBlank();
        JsonPath payload = JsonPath.from(record.value());
        assertThat(payload.getString("model")).isEqualTo(model);
        assertThat(payload.getInt("version")).isEqualTo(version);
        assertThat(payload.getString("framework")).isEqualTo("flywheel-linear");
        // the legacy name is stored and announced as what it means
        assertThat(payload.getString("format")).isEqualTo("flywheel-linear");
        assertThat(payload.getDouble("metrics.auc")).isEqualTo(0.8);
        assertThat(payload.getList("dataset_versions.id")).containsExactly(datasetVersion);
        assertThat(payload.getString("artifact_sha256")).isEqualTo(sha256Hex(artifact));
        assertThat(payload.getInt("parent_version")).isEqualTo(parent);
        assertThat(payload.getString("retrain_job")).isEqualTo("job-1");
        assertThat(payload.getString("registered_at")).isNotBlank();
    }

    @Test
    void anOnnxVersionIsAnnouncedWithItsFormat() {
        String model = createModel("events-onnx");
        int version = createDraft(model, "{\"framework\": \"xgboost\", \"format\": \"onnx\"}");
        byte[] artifact = io.flywheel.registry.onnx.OnnxFiles.resource("bench_trees20.onnx");
        upload(model, version, artifact);

        JsonPath payload = JsonPath.from(awaitVersion(model, version).value());
        assertThat(payload.getString("format")).isEqualTo("onnx");
        assertThat(payload.getString("framework")).isEqualTo("xgboost");
        assertThat(payload.getString("artifact_sha256")).isEqualTo(sha256Hex(artifact));
    }

    @Test
    void anExternalVersionIsAnnouncedWhenItIsRegistered() {
        String model = createModel("events-external");
        int version = createDraft(model, """
                {"format": "external", "endpoint": {"url": "https://models.example.com/v2/models/churn"}}""");

        JsonPath payload = JsonPath.from(awaitVersion(model, version).value());
        assertThat(payload.getString("format")).isEqualTo("external");
        assertThat(payload.getString("artifact_sha256")).isNull();
        assertThat(payload.getString("registered_at")).isNotBlank();
    }

    private ConsumerRecord<String, String> awaitVersion(String model, int version) {
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> records = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(topic)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> records.stream().anyMatch(r -> isVersion(r, model, version)));
            return records.stream().filter(r -> isVersion(r, model, version)).findFirst().orElseThrow();
        }
    }

    private static boolean isVersion(ConsumerRecord<String, String> record, String model, int version) {
        return model.equals(record.key()) && "io.flywheel.registry.model-version.registered.v1".equals(header(record, "ce_type"))
                && JsonPath.from(record.value()).getInt("version") == version;
    }

    @Test
    void aMovedAliasIsAnnounced() {
        String model = createModel("events-alias");
        upload(model, createDraft(model), randomBytes(10));
        given().contentType(ContentType.JSON).header("Authorization", TestCallers.bearer("deploy"))
                .body("{\"version\": 1, \"reason\": \"promoted\"}")
                .when().put("/api/v1/models/{name}/aliases/champion", model).then().statusCode(200);

        JsonPath payload = JsonPath.from(awaitEvent(model, "io.flywheel.registry.alias.moved.v1").value());
        assertThat(payload.getString("model")).isEqualTo(model);
        assertThat(payload.getString("alias")).isEqualTo("champion");
        assertThat(payload.getString("from_version")).isNull();
        assertThat(payload.getInt("to_version")).isEqualTo(1);
        assertThat(payload.getString("actor")).isEqualTo("deploy");
        assertThat(payload.getString("reason")).isEqualTo("promoted");
        assertThat(payload.getString("moved_at")).isNotBlank();
    }

    @Test
    void aNewDatasetVersionIsAnnouncedOnce() {
        String dataset = createDataset("events-dataset");
        String csv = "x,y\n1,2\n3,4\n";
        String id = uploadCsv(dataset, csv);
        given().contentType("text/csv").body(csv).when().put("/api/v1/datasets/{name}/versions", dataset).then().statusCode(200);

        JsonPath payload = JsonPath.from(awaitEvent(dataset, "io.flywheel.registry.dataset-version.registered.v1").value());
        assertThat(payload.getString("dataset")).isEqualTo(dataset);
        assertThat(payload.getString("id")).isEqualTo(id);
        assertThat(payload.getString("format")).isEqualTo("csv");
        assertThat(payload.getLong("rows")).isEqualTo(2);
        assertThat(payload.getLong("size_bytes")).isEqualTo(csv.length());
        assertThat(payload.getString("registered_at")).isNotBlank();

        // the second, identical upload registered nothing new, so announced nothing
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> records = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(topic)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> records.stream().anyMatch(r -> dataset.equals(r.key())));
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> records.stream().filter(r -> dataset.equals(r.key())).count() == 1);
        }
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
