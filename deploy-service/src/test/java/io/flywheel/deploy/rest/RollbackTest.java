package io.flywheel.deploy.rest;

import io.flywheel.internalauth.TestCallers;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import io.flywheel.deploy.support.DeployApi;
import io.flywheel.deploy.support.Events;
import io.flywheel.deploy.support.RegistryFixture;
import io.flywheel.events.DeploymentChanged;
import io.flywheel.events.QualityDegraded;
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
import static io.flywheel.deploy.support.DeployApi.promotion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Rollback by hand (one step, with If-Match) and by policy for production's primary version, with the
 * registry's champion alias following production both ways. Real registry, PostgreSQL and Kafka.
 */
@QuarkusTest
class RollbackTest {

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

    private DeployApi api() {
        return new DeployApi(deployments, v2);
    }

    /** Puts {@code version} into production through staging, the soak included. */
    private void toProduction(String model, int version) {
        api().promoted(model, "staging", version, "replace");
        for (int i = 0; i < 3; i++) {
            api().infer(model, "staging", "soak-" + model + "-" + version + "-" + i, null).then().statusCode(200);
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() ->
                api().promote(model, "production", promotion(version, "replace", "soaked"), "ops").statusCode() == 201);
    }

    @Test
    void aRollbackReturnsToThePreviousVersionInOneStepAndTheChampionFollows() {
        String model = RegistryFixture.model("rollback");
        int v1 = RegistryFixture.churnVersion(model, Map.of(), 0.1);
        int v2 = RegistryFixture.churnVersion(model, Map.of(), 0.9);
        toProduction(model, v1);
        toProduction(model, v2);
        await().atMost(Duration.ofSeconds(20)).until(() -> Integer.valueOf(v2).equals(RegistryFixture.champion(model)));
        String etag = api().deployment(model, "production").then().body("live_versions", contains(v2)).extract().header("ETag");

        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> events = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(deployTopic)) {
            api().deployments().header("If-Match", "\"1\"").body(Map.of("reason", "stale"))
                    .post("{model}/{environment}/rollback", model, "production").then().statusCode(412);
            api().deployments().header("If-Match", etag).header("Authorization", TestCallers.bearer("oncall")).body(Map.of("reason", "error rate up"))
                    .post("{model}/{environment}/rollback", model, "production")
                    .then().statusCode(200)
                    .body("live_versions", contains(v1))
                    .body("previous_versions", equalTo(List.of()));
            api().infer(model, "production", "after-" + model, null).then().header("X-Flywheel-Version", String.valueOf(v1));
            api().history(model, "production").then()
                    .body("items[0].action", equalTo("rolled-back"))
                    .body("items[0].actor", equalTo("oncall"))
                    .body("items[0].reason", equalTo("error rate up"))
                    .body("items[0].version", equalTo(v2))
                    .body("items[0].evidence.before[0].version", equalTo(v2));
            await().atMost(Duration.ofSeconds(20)).until(() -> Integer.valueOf(v1).equals(RegistryFixture.champion(model)));
            await().atMost(Duration.ofSeconds(20)).until(() -> events.stream().anyMatch(r -> model.equals(r.key())
                    && DeploymentChanged.TYPE.equals(Events.type(r)) && "rolled-back".equals(Events.payload(r).get("action"))
                    && "oncall".equals(Events.payload(r).get("actor"))));
        }
        api().rollback(model, "production", "again", "oncall").then().statusCode(409)
                .body("detail", containsString("nothing to roll back to"));
    }

    @Test
    void byPolicyADegradedProductionVersionRollsBackOnItsOwn() {
        String model = RegistryFixture.model("autoprod");
        int v1 = RegistryFixture.churnVersion(model, Map.of(), 0.1);
        int v2 = RegistryFixture.churnVersion(model, Map.of(), 0.9);
        toProduction(model, v1);
        toProduction(model, v2);
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            String degraded = """
                    {"model":"%s","version":%d,"kind":"infrastructure","metric":"error_rate","value":0.2,"threshold":0.05,
                     "window_start":"2026-11-26T10:00:00Z","window_end":"2026-11-26T10:05:00Z","samples":900,
                     "detected_at":"2026-11-26T10:05:01Z","evidence":{}}""".formatted(model, v2);
            kafka.produceStrings().fromRecords(List.of(
                    cloudEvent(monitorTopic, UUID.randomUUID().toString(), model, QualityDegraded.TYPE, degraded))).awaitCompletion();
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> api().deployment(model, "production").then()
                .body("live_versions", contains(v1)));
        // staging's policy keeps its primary: only production rolls a degraded primary back
        api().deployment(model, "staging").then().body("live_versions", contains(v2));
        api().history(model, "production").then()
                .body("items[0].actor", equalTo("monitor"))
                .body("items[0].evidence.kind", equalTo("infrastructure"));
        await().atMost(Duration.ofSeconds(20)).until(() -> Integer.valueOf(v1).equals(RegistryFixture.champion(model)));
        assertThat(RegistryFixture.championMovedBy(model)).isEqualTo("deploy");
    }
}
