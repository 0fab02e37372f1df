package io.flywheel.deploy.rest;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import io.flywheel.deploy.rollout.TrafficSplit;
import io.flywheel.deploy.support.DeployApi;
import io.flywheel.deploy.support.Events;
import io.flywheel.deploy.support.RegistryFixture;
import io.flywheel.events.DeploymentChanged;
import io.flywheel.events.DriftDetected;
import io.flywheel.events.PredictionLogged;
import io.flywheel.events.QualityDegraded;
import io.flywheel.events.Recovered;
import io.quarkus.test.common.http.TestHTTPEndpoint;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.flywheel.deploy.support.CloudEventRecords.cloudEvent;
import static io.flywheel.deploy.support.DeployApi.canary;
import static io.flywheel.deploy.support.DeployApi.promotion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/**
 * Canary and shadow over the real registry, PostgreSQL and Kafka: a canary that advances step by step
 * to completion, canaries rolled back by the monitor's quality.degraded and drift.detected events,
 * and a shadow whose answers are logged and never returned.
 */
@QuarkusTest
class CanaryTest {

    @TestHTTPEndpoint(DeploymentResource.class)
    @TestHTTPResource
    URL deployments;

    @TestHTTPEndpoint(InferenceResource.class)
    @TestHTTPResource
    URL v2;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.outgoing.outbox.topic")
    String deployTopic;

    @ConfigProperty(name = "mp.messaging.incoming.monitor-events.topic")
    String monitorTopic;

    @ConfigProperty(name = "deploy.prediction-log.topic")
    String inferenceTopic;

    private DeployApi api() {
        return new DeployApi(deployments, v2);
    }

    /** Routing keys that the split sends to the candidate at this share of traffic. */
    private static List<String> candidateKeys(String model, int percent, int n) {
        return java.util.stream.IntStream.iterate(0, i -> i + 1).mapToObj(i -> "user-" + i)
                .filter(k -> TrafficSplit.toCandidate(model, k, percent)).limit(n).toList();
    }

    private static List<String> primaryKeys(String model, int percent, int n) {
        return java.util.stream.IntStream.iterate(0, i -> i + 1).mapToObj(i -> "user-" + i)
                .filter(k -> !TrafficSplit.toCandidate(model, k, percent)).limit(n).toList();
    }

    @Test
    void aCanaryAdvancesStepByStepWhileItsQualityHoldsAndCompletes() {
        String model = RegistryFixture.model("canary");
        int v1 = RegistryFixture.churnVersion(model, Map.of("roc_auc", 0.80), 0.1);
        int v2 = RegistryFixture.churnVersion(model, Map.of("roc_auc", 0.82), 0.9);
        api().promoted(model, "staging", v1, "replace");
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> events = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(deployTopic)) {
            api().promote(model, "staging", canary(v2, List.of(10, 50, 100), 0, 3), "alice").then().statusCode(201)
                    .body("canary.steps", contains(10, 50, 100))
                    .body("deployment.status", equalTo("canary"))
                    .body("deployment.live.traffic_percent", contains(90, 10));

            // one user stays on one version: the same key is answered by the same version every time
            String onCanary = candidateKeys(model, 10, 1).getFirst();
            String onPrimary = primaryKeys(model, 50, 1).getFirst(); // on the primary at 10% and at 50%
            for (int i = 0; i < 3; i++) {
                api().infer(model, "staging", "sticky-c-" + i, onCanary).then().statusCode(200)
                        .header("X-Flywheel-Version", String.valueOf(v2)).header("X-Flywheel-Role", "canary");
                api().infer(model, "staging", "sticky-p-" + i, onPrimary).then().statusCode(200)
                        .header("X-Flywheel-Version", String.valueOf(v1)).header("X-Flywheel-Role", "primary");
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> api().deployment(model, "staging").then()
                    .body("candidate.traffic_percent", equalTo(50)).body("candidate.step", equalTo(1)));

            for (String key : candidateKeys(model, 50, 3)) {
                api().infer(model, "staging", "step2-" + key, key).then().statusCode(200).header("X-Flywheel-Version", String.valueOf(v2));
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> api().deployment(model, "staging").then()
                    .body("status", equalTo("serving"))
                    .body("live_versions", contains(v2))
                    .body("previous_versions", contains(v1)));

            api().history(model, "staging").then()
                    .body("items.action", contains("canary-completed", "canary-advanced", "canary-started", "promoted"))
                    .body("items[0].actor", equalTo("deploy"))
                    .body("items[0].evidence.min_samples", equalTo(3))
                    .body("items[1].summary", containsString("from 10% to 50%"));
            api().infer(model, "staging", "after-" + model, onPrimary).then().header("X-Flywheel-Version", String.valueOf(v2));

            await().atMost(Duration.ofSeconds(20)).until(() -> actions(events, model).containsAll(
                    List.of("canary-started", "canary-advanced", "canary-completed")));
        }
    }

    @Test
    void aCanaryIsRolledBackWhenTheMonitorReportsItDegraded() {
        String model = RegistryFixture.model("degrade");
        int v1 = RegistryFixture.churnVersion(model, Map.of(), 0.1);
        int v2 = RegistryFixture.churnVersion(model, Map.of(), 0.9);
        api().promoted(model, "staging", v1, "replace");
        api().promote(model, "staging", canary(v2, List.of(10, 50, 100), 3600, 1_000_000), "alice").then().statusCode(201);
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> events = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(deployTopic)) {
            String eventId = UUID.randomUUID().toString();
            String degraded = """
                    {"model":"%s","version":%d,"kind":"quality","metric":"roc_auc","value":0.61,"threshold":0.7,
                     "window_start":"2026-11-26T10:00:00Z","window_end":"2026-11-26T10:05:00Z","samples":500,
                     "detected_at":"2026-11-26T10:05:01Z","evidence":{"champion_roc_auc":0.8}}""".formatted(model, v2);
            kafka.produceStrings().fromRecords(List.of(
                    cloudEvent(monitorTopic, eventId, model, QualityDegraded.TYPE, degraded),
                    cloudEvent(monitorTopic, eventId, model, QualityDegraded.TYPE, degraded))).awaitCompletion();

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> api().deployment(model, "staging").then()
                    .body("status", equalTo("serving")).body("live_versions", contains(v1)));
            api().history(model, "staging").then()
                    .body("items[0].action", equalTo("rolled-back"))
                    .body("items[0].actor", equalTo("monitor"))
                    .body("items[0].version", equalTo(v2))
                    .body("items[0].reason", containsString("roc_auc = 0.61 against threshold 0.7"))
                    .body("items[0].evidence.trigger", equalTo("quality.degraded"))
                    .body("items[0].evidence.event_id", equalTo(eventId))
                    .body("items[0].evidence.monitor.details.champion_roc_auc", equalTo(0.8f))
                    .body("items[1].action", equalTo("canary-started"));
            for (String key : candidateKeys(model, 10, 3)) {
                api().infer(model, "staging", "after-rollback-" + key, key).then().header("X-Flywheel-Version", String.valueOf(v1));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> actions(events, model).contains("rolled-back"));
            ConsumerRecord<String, String> rolledBack = events.stream()
                    .filter(r -> model.equals(r.key()) && "rolled-back".equals(Events.payload(r).get("action"))).findFirst().orElseThrow();
            assertThat(Events.payload(rolledBack)).containsEntry("actor", "monitor")
                    .containsEntry("live", List.of(Map.of("version", v1, "traffic_percent", 100, "role", "primary")));
            // the duplicate event id was applied once: one rollback in the history
            api().history(model, "staging").then().body("items.findAll { it.action == 'rolled-back' }.size()", equalTo(1));
        }
    }

    @Test
    void driftOnTheCandidateRollsItBackAndARecoveryIsOnlyRecorded() {
        String model = RegistryFixture.model("drift");
        int v1 = RegistryFixture.churnVersion(model, Map.of(), 0.1);
        int v2 = RegistryFixture.churnVersion(model, Map.of(), 0.9);
        api().promoted(model, "staging", v1, "replace");
        api().promote(model, "staging", canary(v2, List.of(25, 100), 3600, 1_000_000), "alice").then().statusCode(201);
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            String recovered = """
                    {"model":"%s","version":%d,"kind":"drift","recovered_at":"2026-11-26T10:00:00Z"}""".formatted(model, v2);
            String drift = """
                    {"model":"%s","version":%d,"drifted_features":["age","income"],"share_drifted":0.5,
                     "window_start":"2026-11-26T10:00:00Z","window_end":"2026-11-26T10:05:00Z","samples":800,
                     "detected_at":"2026-11-26T10:05:01Z","evidence":{"age":{"test":"ks","p_value":0.001}}}""".formatted(model, v2);
            kafka.produceStrings().fromRecords(List.of(
                    cloudEvent(monitorTopic, UUID.randomUUID().toString(), model, Recovered.TYPE, recovered))).awaitCompletion();
            await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    api().deployment(model, "staging").then().body("status", equalTo("canary")));

            kafka.produceStrings().fromRecords(List.of(
                    cloudEvent(monitorTopic, UUID.randomUUID().toString(), model, DriftDetected.TYPE, drift))).awaitCompletion();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> api().deployment(model, "staging").then()
                    .body("live_versions", contains(v1)));
            api().history(model, "staging").then()
                    .body("items[0].evidence.trigger", equalTo("drift.detected"))
                    .body("items[0].evidence.kind", equalTo("drift"))
                    .body("items[0].evidence.monitor.drifted_features", contains("age", "income"));
        }
    }

    @Test
    void aShadowSeesACopyOfTheTrafficAndItsAnswersAreLoggedNotReturned() {
        String model = RegistryFixture.model("shadow");
        int v1 = RegistryFixture.churnVersion(model, Map.of(), 0.1);
        int v2 = RegistryFixture.churnVersion(model, Map.of(), 0.9);
        api().promoted(model, "staging", v1, "replace");
        api().promote(model, "staging", promotion(v2, "shadow", "try it in the dark"), "alice").then().statusCode(201)
                .body("deployment.live.role", contains("primary", "shadow"))
                .body("deployment.live.traffic_percent", contains(100, 0));
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> predictions = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(inferenceTopic)) {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                String id = "shadow-" + model + "-" + i;
                ids.add(id);
                api().infer(model, "staging", id, "user-" + i).then().statusCode(200)
                        .header("X-Flywheel-Version", String.valueOf(v1)).body("model_version", equalTo(String.valueOf(v1)));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> predictions.stream()
                    .filter(r -> model.equals(r.key()) && PredictionLogged.TYPE.equals(Events.type(r))).count() >= 10);
            List<Map<String, Object>> logged = predictions.stream().filter(r -> model.equals(r.key())).map(Events::payload).toList();
            assertThat(logged).extracting(p -> p.get("request_id")).containsOnly(ids.toArray());
            assertThat(logged).extracting(p -> p.get("version")).containsOnly(v1, v2);
            assertThat(logged.stream().filter(p -> p.get("version").equals(v2)).count()).isEqualTo(5);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> api().deployments()
                .get("{model}/{environment}", model, "staging").then().body("candidate.strategy", equalTo("shadow")));
        // promoting the shadow's version with replace takes over
        api().promote(model, "staging", promotion(v2, "replace", "the shadow looked good"), "alice").then().statusCode(201)
                .body("deployment.live_versions", contains(v2));
        api().history(model, "staging").then().body("items.action", hasItems("shadow-started", "promoted"));
    }

    private static List<String> actions(ConsumerTask<String, String> events, String model) {
        return events.stream().filter(r -> model.equals(r.key()) && DeploymentChanged.TYPE.equals(Events.type(r)))
                .map(r -> String.valueOf(Events.payload(r).get("action"))).toList();
    }
}
