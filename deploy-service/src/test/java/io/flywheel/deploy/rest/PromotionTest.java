package io.flywheel.deploy.rest;

import io.flywheel.deploy.support.DeployApi;
import io.flywheel.deploy.support.Events;
import io.flywheel.deploy.support.RegistryFixture;
import io.flywheel.events.DeploymentChanged;
import io.flywheel.events.PromotionRejected;
import io.flywheel.internalauth.InternalTokenForTests;
import io.flywheel.internalauth.TestCallers;
import io.quarkus.test.common.http.TestHTTPEndpoint;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.flywheel.deploy.support.DeployApi.promotion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

/** Promotion through the gates, over the real registry, PostgreSQL and Kafka. */
@QuarkusTest
class PromotionTest {

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

    private DeployApi api() {
        return new DeployApi(deployments, v2);
    }

    private static List<ConsumerRecord<String, String>> of(ConsumerTask<String, String> events, String model, String type) {
        return events.stream().filter(r -> model.equals(r.key()) && type.equals(Events.type(r))).toList();
    }

    @Test
    void aPassingPromotionServesAndIsRecordedAndAnnounced() {
        String model = RegistryFixture.model("promote");
        int v1 = RegistryFixture.churnVersion(model, Map.of("roc_auc", 0.80), 0.1);
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> events = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(deployTopic)) {
            api().promote(model, "staging", promotion(v1, "replace", "first release"), "alice")
                    .then().statusCode(201)
                    .header("ETag", "\"1\"")
                    .header("Location", containsString("/promotions/"))
                    .body("status", equalTo("applied"))
                    .body("requested_by", equalTo("alice"))
                    .body("checks.gate", contains("finalised", "servable", "metrics", "soak", "approval"))
                    .body("checks.status", contains("passed", "passed", "passed", "not-required", "not-required"))
                    .body("deployment.live_versions", contains(v1));

            api().deployment(model, "staging").then().statusCode(200)
                    .header("ETag", "\"1\"")
                    .body("status", equalTo("serving"))
                    .body("strategy", equalTo("replace"))
                    .body("primary_version", equalTo(v1))
                    .body("live[0].traffic_percent", equalTo(100))
                    .body("live[0].role", equalTo("primary"))
                    .body("updated_by", equalTo("alice"));

            api().infer(model, "staging", "req-" + model, null).then().statusCode(200)
                    .header("X-Flywheel-Version", String.valueOf(v1))
                    .body("model_version", equalTo(String.valueOf(v1)))
                    .body("id", equalTo("req-" + model))
                    .body("outputs[0].name", equalTo("churned"));

            api().history(model, "staging").then().statusCode(200)
                    .body("items[0].action", equalTo("promoted"))
                    .body("items[0].actor", equalTo("alice"))
                    .body("items[0].reason", equalTo("first release"))
                    .body("items[0].evidence.checks.gate", hasItem("metrics"))
                    .body("items[0].live[0].version", equalTo(v1));

            api().deployments().get("{model}", model).then().statusCode(200)
                    .body("environments.name", contains("staging", "production", "regulated"))
                    .body("environments[0].live_versions", contains(v1))
                    .body("environments[1].live_versions", equalTo(List.of()));

            await().atMost(Duration.ofSeconds(20)).until(() -> !of(events, model, DeploymentChanged.TYPE).isEmpty());
            Map<String, Object> changed = Events.payload(of(events, model, DeploymentChanged.TYPE).getFirst());
            assertThat(changed).containsEntry("model", model).containsEntry("environment", "staging")
                    .containsEntry("action", "promoted").containsEntry("actor", "alice");
            assertThat(changed.get("live")).isEqualTo(List.of(Map.of("version", v1, "traffic_percent", 100, "role", "primary")));
        }
    }

    @Test
    void aDraftFailsTheFinalisedGateAndNothingChanges() {
        String model = RegistryFixture.model("draft");
        int v1 = RegistryFixture.churnVersion(model, Map.of(), 0.1);
        api().promoted(model, "staging", v1, "replace");
        int v2 = RegistryFixture.draft(model, io.flywheel.deploy.support.Artifacts.churnSignature(), Map.of());
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> events = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(deployTopic)) {
            String promotionId = api().promote(model, "staging", promotion(v2, "replace", "too early"), "bob")
                    .then().statusCode(422)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:flywheel:problem:gate-failed"))
                    .body("gate", equalTo("finalised"))
                    .body("detail", containsString("version " + v2 + " is a draft"))
                    .body("checks.status", contains("failed", "not-run", "not-run", "not-run", "not-run"))
                    .body("promotion_id", notNullValue())
                    .extract().path("promotion_id");

            api().deployment(model, "staging").then().statusCode(200).header("ETag", "\"1\"").body("live_versions", contains(v1));
            api().history(model, "staging").then()
                    .body("items[0].action", equalTo("gate-failed"))
                    .body("items[0].version", equalTo(v2))
                    .body("items[0].actor", equalTo("bob"))
                    .body("items[0].summary", containsString("finalised"));
            api().deployments().get("{model}/{environment}/promotions/{id}", model, "staging", promotionId).then().statusCode(200)
                    .body("status", equalTo("rejected"));

            await().atMost(Duration.ofSeconds(20)).until(() -> !of(events, model, PromotionRejected.TYPE).isEmpty());
            Map<String, Object> rejected = Events.payload(of(events, model, PromotionRejected.TYPE).getFirst());
            assertThat(rejected).containsEntry("failed_gate", "finalised").containsEntry("version", v2)
                    .containsEntry("promotion_id", promotionId).containsEntry("actor", "bob");
        }
    }

    @Test
    void aCandidateWorseThanTheChampionFailsTheMetricsGate() {
        String model = RegistryFixture.model("metrics");
        int v1 = RegistryFixture.churnVersion(model, Map.of("roc_auc", 0.80), 0.1);
        int v2 = RegistryFixture.churnVersion(model, Map.of("roc_auc", 0.70), 0.2);
        api().promoted(model, "staging", v1, "replace");
        api().promote(model, "staging", promotion(v2, "replace", "retrained"), "carol")
                .then().statusCode(422)
                .body("gate", equalTo("metrics"))
                .body("detail", containsString("roc_auc of version " + v2 + " is 0.7, below the required 0.8"))
                .body("checks[2].evidence.roc_auc.champion", equalTo(0.8f));
        api().deployment(model, "staging").then().body("live_versions", contains(v1));
    }

    @Test
    void productionNeedsASoakInStagingAndThenMovesTheChampionAlias() {
        String model = RegistryFixture.model("soak");
        int v1 = RegistryFixture.churnVersion(model, Map.of("roc_auc", 0.80), 0.1);
        api().promote(model, "production", promotion(v1, "replace", "straight to prod"), "dave")
                .then().statusCode(422).body("gate", equalTo("soak")).body("detail", containsString("is not live in 'staging'"));

        api().promoted(model, "staging", v1, "replace");
        api().promote(model, "production", promotion(v1, "replace", "too soon"), "dave")
                .then().statusCode(422).body("gate", equalTo("soak"));
        for (int i = 0; i < 3; i++) {
            api().infer(model, "staging", "soak-" + model + "-" + i, null).then().statusCode(200);
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() ->
                api().promote(model, "production", promotion(v1, "replace", "soaked"), "dave").statusCode() == 201);

        api().deployment(model, "production").then().body("live_versions", contains(v1));
        api().history(model, "production").then()
                .body("items[0].action", equalTo("promoted"))
                .body("items[0].evidence.checks[3].status", equalTo("passed"))
                .body("items[0].evidence.checks[3].evidence.samples", equalTo(3))
                .body("items.action", hasItem("gate-failed"));
        await().atMost(Duration.ofSeconds(20)).until(() -> Integer.valueOf(v1).equals(RegistryFixture.champion(model)));
        assertThat(RegistryFixture.championMovedBy(model)).isEqualTo("deploy");
    }

    @Test
    void aRegulatedEnvironmentWaitsForAPersonToApproveOrReject() {
        String model = RegistryFixture.model("approve");
        int v1 = RegistryFixture.churnVersion(model, Map.of(), 0.1);
        int v2 = RegistryFixture.churnVersion(model, Map.of(), 0.2);
        String first = api().promote(model, "regulated", promotion(v1, null, "needs sign-off"), "erin")
                .then().statusCode(202)
                .header("Location", containsString("/promotions/"))
                .body("status", equalTo("awaiting-approval"))
                .body("checks[4].status", equalTo("pending"))
                .extract().path("id");
        api().deployment(model, "regulated").then().statusCode(200).body("status", equalTo("idle")).header("ETag", "\"0\"");

        // the person who asked can't be the one who approves
        api().deployments().header("Authorization", TestCallers.bearer("erin")).body(Map.of("approved", true, "reason", "looks fine to me"))
                .post("{model}/{environment}/promotions/{id}/approval", model, "regulated", first)
                .then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:self-approval"));
        api().deployment(model, "regulated").then().body("status", equalTo("idle"));

        api().deployments().header("Authorization", TestCallers.bearer("frank")).body(Map.of("approved", true, "reason", "checked"))
                .post("{model}/{environment}/promotions/{id}/approval", model, "regulated", first)
                .then().statusCode(200)
                .body("status", equalTo("applied"))
                .body("decided_by", equalTo("frank"))
                .body("checks[4].status", equalTo("passed"))
                .body("checks[4].detail", equalTo("approved by frank"))
                .body("deployment.live_versions", contains(v1));
        api().deployments().body(Map.of("approved", true))
                .post("{model}/{environment}/promotions/{id}/approval", model, "regulated", first)
                .then().statusCode(409).body("detail", containsString("is applied"));

        String second = api().promote(model, "regulated", promotion(v2, null, "next"), "erin").then().statusCode(202)
                .extract().path("id");
        api().deployments().header("Authorization", TestCallers.bearer("grace")).body(Map.of("approved", false, "reason", "not this week"))
                .post("{model}/{environment}/promotions/{id}/approval", model, "regulated", second)
                .then().statusCode(200)
                .body("status", equalTo("rejected"))
                .body("checks[4].status", equalTo("failed"))
                .body("checks[4].detail", equalTo("rejected by grace: not this week"));
        api().deployment(model, "regulated").then().body("live_versions", contains(v1));
        api().history(model, "regulated").then()
                .body("items.action", contains("gate-failed", "awaiting-approval", "promoted", "awaiting-approval"))
                .body("items[0].actor", equalTo("grace"));
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyAnswersTheFirstAttempt() {
        String model = RegistryFixture.model("idem");
        int v1 = RegistryFixture.churnVersion(model, Map.of(), 0.1);
        String id = api().deployments().header("Idempotency-Key", "release-" + model).body(promotion(v1, "replace", "once"))
                .post("{model}/{environment}/promotions", model, "staging").then().statusCode(201)
                .body("requested_by", equalTo(InternalTokenForTests.PRINCIPAL)).extract().path("id");
        api().deployments().header("Idempotency-Key", "release-" + model).body(promotion(v1, "replace", "once"))
                .post("{model}/{environment}/promotions", model, "staging").then().statusCode(200)
                .header("Idempotent-Replayed", "true")
                .body("id", equalTo(id));
        api().deployment(model, "staging").then().header("ETag", "\"1\"");
    }

    @Test
    void aStaleIfMatchIsRefusedAndACurrentOneIsHonoured() {
        String model = RegistryFixture.model("etag");
        int v1 = RegistryFixture.churnVersion(model, Map.of(), 0.1);
        int v2 = RegistryFixture.churnVersion(model, Map.of(), 0.2);
        api().promoted(model, "staging", v1, "replace");
        api().deployments().header("If-Match", "\"0\"").body(promotion(v2, "replace", "stale"))
                .post("{model}/{environment}/promotions", model, "staging")
                .then().statusCode(412).contentType("application/problem+json")
                .body("detail", containsString("its ETag is now \"1\""));
        api().deployments().header("If-Match", "\"1\"").body(promotion(v2, "replace", "current"))
                .post("{model}/{environment}/promotions", model, "staging")
                .then().statusCode(201).header("ETag", "\"2\"");
    }

    @Test
    void badRequestsAreProblemsThatSayWhatToFix() {
        String model = RegistryFixture.model("bad");
        int v1 = RegistryFixture.churnVersion(model, Map.of(), 0.1);
        api().promote(model, "qa", promotion(v1, "replace", "x"), "x").then().statusCode(404)
                .body("detail", equalTo("environment 'qa' is not configured; deploy knows staging, production, regulated"));
        api().promote(model, "staging", promotion(99, "replace", "x"), "x").then().statusCode(404)
                .body("detail", equalTo("version 99 of model '" + model + "' is not in the registry"));
        api().promote(model, "staging", Map.of("strategy", "replace"), "x").then().statusCode(400)
                .contentType("application/problem+json");
        api().promote(model, "staging", promotion(v1, "blue-green", "x"), "x").then().statusCode(400)
                .contentType("application/problem+json");
        api().promote(model, "staging", DeployApi.canary(v1, List.of(10, 50), 0, 0), "x").then().statusCode(400)
                .body("detail", equalTo("canary: the last canary step must be 100, got [10, 50]"));
        api().deployments().body("{\"version\": 1,\n \"strategy\": }")
                .post("{model}/{environment}/promotions", model, "staging")
                .then().statusCode(400)
                .body("type", equalTo("urn:flywheel:problem:malformed-json"))
                .body("detail", containsString("(line 2, column"));
        api().rollback(model, "staging", "nothing there", "x").then().statusCode(409)
                .body("detail", containsString("nothing to roll back to in 'staging'"));
        api().deployments().get("{model}/{environment}", "never-registered-" + model, "staging").then().statusCode(404)
                .body("detail", endsWith("register it in the registry first"));
    }
}
