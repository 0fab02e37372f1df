package io.flywheel.deploy.events;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import io.flywheel.deploy.rest.DeploymentResource;
import io.flywheel.deploy.rest.InferenceResource;
import io.flywheel.deploy.support.DeployApi;
import io.flywheel.deploy.support.Events;
import io.flywheel.deploy.support.RegistryFixture;
import io.flywheel.events.PromotionRejected;
import io.flywheel.events.PromotionRequested;
import io.quarkus.test.common.http.TestHTTPEndpoint;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.flywheel.deploy.support.CloudEventRecords.cloudEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

/** Retrain's promotion.requested over the real Kafka promotes through the same gates, once per event. */
@QuarkusTest
class RetrainEventConsumerTest {

    @TestHTTPEndpoint(DeploymentResource.class)
    @TestHTTPResource
    URL deployments;

    @TestHTTPEndpoint(InferenceResource.class)
    @TestHTTPResource
    URL v2;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.incoming.retrain-events.topic")
    String retrainTopic;

    @ConfigProperty(name = "mp.messaging.outgoing.outbox.topic")
    String deployTopic;

    private DeployApi api() {
        return new DeployApi(deployments, v2);
    }

    private static String requested(String model, int version, String job) {
        return """
                {"model":"%s","version":%d,"environment":"staging","job_id":"%s",
                 "evidence":{"metric":"roc_auc","candidate":0.84,"champion":0.80,"margin":0.01},
                 "reason":"candidate beat the champion","requested_at":"2026-11-26T10:00:00Z"}""".formatted(model, version, job);
    }

    @Test
    void aRequestedPromotionIsAppliedOnceAsRetrain() {
        String model = RegistryFixture.model("retrain");
        int v1 = RegistryFixture.churnVersion(model, Map.of("roc_auc", 0.84), 0.1);
        String eventId = UUID.randomUUID().toString();
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            kafka.produceStrings().fromRecords(List.of(
                    cloudEvent(retrainTopic, eventId, model, PromotionRequested.TYPE, requested(model, v1, "job-7")),
                    cloudEvent(retrainTopic, eventId, model, PromotionRequested.TYPE, requested(model, v1, "job-7")),
                    cloudEvent(retrainTopic, UUID.randomUUID().toString(), model, "io.flywheel.retrain.job.changed.v1", "{}")))
                    .awaitCompletion();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api().deployment(model, "staging").then().statusCode(200)
                .body("live_versions", contains(v1)));
        api().history(model, "staging").then()
                .body("items", org.hamcrest.Matchers.hasSize(1))
                .body("items[0].action", equalTo("promoted"))
                .body("items[0].actor", equalTo("retrain"))
                .body("items[0].reason", equalTo("candidate beat the champion"))
                .body("items[0].evidence.source", equalTo("retrain"))
                .body("items[0].evidence.request.job_id", equalTo("job-7"));
    }

    @Test
    void aRequestThatFailsAGateIsRecordedAndAnnounced() {
        String model = RegistryFixture.model("retrain-bad");
        int v1 = RegistryFixture.churnVersion(model, Map.of("roc_auc", 0.80), 0.1);
        int v2 = RegistryFixture.churnVersion(model, Map.of("roc_auc", 0.60), 0.2);
        api().promoted(model, "staging", v1, "replace");
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> events = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(deployTopic)) {
            kafka.produceStrings().fromRecords(List.of(cloudEvent(retrainTopic, UUID.randomUUID().toString(), model,
                    PromotionRequested.TYPE, requested(model, v2, "job-8")))).awaitCompletion();
            await().atMost(Duration.ofSeconds(30)).until(() -> events.stream()
                    .anyMatch(r -> model.equals(r.key()) && PromotionRejected.TYPE.equals(Events.type(r))));
            Map<String, Object> rejected = Events.payload(events.stream()
                    .filter(r -> model.equals(r.key()) && PromotionRejected.TYPE.equals(Events.type(r))).findFirst().orElseThrow());
            assertThat(rejected).containsEntry("failed_gate", "metrics").containsEntry("actor", "retrain").containsEntry("version", v2);
        }
        api().deployment(model, "staging").then().body("live_versions", contains(v1));
        api().history(model, "staging").then().body("items[0].action", equalTo("gate-failed")).body("items[0].actor", equalTo("retrain"));
    }
}
