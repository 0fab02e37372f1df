package io.flywheel.deploy.rest;

import io.flywheel.deploy.support.DeployApi;
import io.flywheel.deploy.support.Events;
import io.flywheel.deploy.support.RegistryFixture;
import io.flywheel.internalauth.TestCallers;
import io.flywheel.events.DeploymentChanged;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * A model's promotion policy over the real registry, PostgreSQL and Kafka: the API (validation,
 * defaults, ETag), a version promoted to production by the policy once it soaked in staging, and a
 * canary the policy's judge rolls back on its own, with the evidence in the history and the event.
 */
@QuarkusTest
class PromotionPolicyTest {

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

    private io.restassured.response.Response putPolicy(String model, Map<String, Object> policy, String ifMatch) {
        var request = api().deployments().header("Authorization", TestCallers.bearer("alice")).body(policy);
        if (ifMatch != null) {
            request = request.header("If-Match", ifMatch);
        }
        return request.put("{model}/policy", model);
    }

    @Test
    void thePolicyIsCheckedStoredWithItsDefaultsAndReplacedUnderItsETag() {
        String model = RegistryFixture.model("policy-api");
        api().deployments().get("{model}/policy", model).then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("has no promotion policy"));
        putPolicy(model, Map.of("auto_promote", true, "soak", Map.of("min_time", "half an hour")), null).then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("soak.min_time is an ISO-8601 duration such as PT30M, got 'half an hour'"));
        putPolicy(model, Map.of("to", "moon"), null).then().statusCode(400)
                .body("detail", containsString("environment 'moon' is not configured"));

        String etag = putPolicy(model, Map.of("auto_promote", true, "judge", Map.of("quality", Map.of("metric", "accuracy", "max_drop", 0.02))),
                null).then().statusCode(200)
                .header("ETag", "\"1\"")
                .body("policy.from", equalTo("staging"))
                .body("policy.to", equalTo("production"))
                .body("policy.strategy", equalTo("canary"))
                .body("policy.canary.steps", contains(10, 50, 100))
                .body("policy.judge.quality.min_labelled", equalTo(50))
                .body("policy.rollback_on", contains("quality"))
                .body("updated_by", equalTo("alice"))
                .extract().header("ETag");
        putPolicy(model, Map.of("auto_promote", false), "\"7\"").then().statusCode(412).contentType("application/problem+json");
        putPolicy(model, Map.of("auto_promote", false), etag).then().statusCode(200).header("ETag", "\"2\"")
                .body("policy.auto_promote", equalTo(false));
        api().deployments().get("{model}/policy", model).then().statusCode(200).body("revision", equalTo(2));
    }

    @Test
    void theSoakedVersionGoesToProductionByItselfAndABadCanaryIsRolledBackByTheJudge() {
        String model = RegistryFixture.model("policy-loop");
        int v1 = RegistryFixture.churnVersion(model, Map.of("roc_auc", 0.80), 0.1);
        int v2 = RegistryFixture.churnVersion(model, Map.of("roc_auc", 0.82), 0.9);
        // p99 within a budget no real request meets: whatever the candidate serves fails the judge
        putPolicy(model, Map.of("auto_promote", true, "soak", Map.of("min_time", "PT1S", "min_samples", 3),
                "strategy", "canary", "canary", Map.of("steps", List.of(50, 100), "min_hold_seconds", 0, "min_samples", 2),
                "judge", Map.of("latency_p99", Map.of("budget_ms", 0.0001, "min_requests", 3))), null).then().statusCode(200);

        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             ConsumerTask<String, String> events = kafka.consumeStrings().withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(deployTopic)) {
            api().promoted(model, "staging", v1, "replace");
            for (int i = 0; i < 3; i++) {
                api().infer(model, "staging", "soak1-" + i, null).then().statusCode(200);
            }
            // nothing served production yet, so the policy's canary takes all traffic at once
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> api().deployment(model, "production").then()
                    .body("live_versions", contains(v1)));
            api().history(model, "production").then()
                    .body("items", hasSize(1))
                    .body("items[0].actor", equalTo("policy"))
                    .body("items[0].evidence.source", equalTo("policy"))
                    .body("items[0].evidence.request.samples", equalTo(3))
                    .body("items[0].reason", containsString("soaked"));

            api().promoted(model, "staging", v2, "replace");
            for (int i = 0; i < 3; i++) {
                api().infer(model, "staging", "soak2-" + i, null).then().statusCode(200);
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> api().deployment(model, "production").then()
                    .body("status", equalTo("canary")).body("candidate.version", equalTo(v2)));
            // about half reach the candidate, by a hash salted with the (random) model name: of 12, fewer than
            // the judge's 3 one run in ~50 (seen in CI); of 40, about one in a billion
            for (int i = 0; i < 40; i++) {
                api().infer(model, "production", "canary-" + i, "user-" + i).then().statusCode(200);
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> api().deployment(model, "production").then()
                    .body("status", equalTo("serving")).body("live_versions", contains(v1)));

            api().history(model, "production").then()
                    .body("items.action", contains("rolled-back", "canary-started", "promoted"))
                    .body("items[0].actor", equalTo("policy"))
                    .body("items[0].version", equalTo(v2))
                    .body("items[0].reason", containsString("latency_p99"))
                    .body("items[0].evidence.trigger", equalTo("canary-judge"))
                    .body("items[0].evidence.failed", contains("latency_p99"))
                    .body("items[0].evidence.judge.latency_p99.status", equalTo("failed"))
                    .body("items[0].evidence.judge.latency_p99.budget_ms", equalTo(0.0001f));
            assertThat(RegistryFixture.champion(model)).isEqualTo(v1);

            await().atMost(Duration.ofSeconds(20)).until(() -> events.getRecords().stream()
                    .anyMatch(r -> model.equals(r.key()) && "rolled-back".equals(Events.payload(r).get("action"))));
            ConsumerRecord<String, String> rolledBack = events.getRecords().stream()
                    .filter(r -> model.equals(r.key()) && DeploymentChanged.TYPE.equals(Events.type(r))
                            && "rolled-back".equals(Events.payload(r).get("action"))).findFirst().orElseThrow();
            Map<String, Object> payload = Events.payload(rolledBack);
            assertThat(payload).containsEntry("actor", "policy").containsEntry("version", v2).containsEntry("environment", "production");
            assertThat(payload.get("evidence").toString()).contains("latency_p99");

            // the policy tries a version once: v2, rolled back, is not canaried again while it serves staging
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).untilAsserted(() -> api().deployment(model, "production")
                    .then().body("status", equalTo("serving")));
            api().history(model, "production").then().body("items", hasSize(3));
        }
    }

    @Test
    void withShadowFirstTheVersionShadowsTheChampionIsJudgedThenTakesOverOrIsRemoved() {
        String model = RegistryFixture.model("policy-shadow");
        int v1 = RegistryFixture.churnVersion(model, Map.of("roc_auc", 0.80), 0.1);
        int v2 = RegistryFixture.churnVersion(model, Map.of("roc_auc", 0.82), 0.9);
        int v3 = RegistryFixture.churnVersion(model, Map.of("roc_auc", 0.84), 0.5);
        putPolicy(model, Map.of("auto_promote", true, "soak", Map.of("min_time", "PT1S", "min_samples", 3),
                "shadow", Map.of("min_hold_seconds", 0, "min_samples", 3), "strategy", "replace",
                "judge", Map.of("error_rate", Map.of("max_increase", 0.5, "min_requests", 3))), null).then().statusCode(200)
                .body("policy.shadow.min_samples", equalTo(3));

        api().promoted(model, "staging", v1, "replace");
        for (int i = 0; i < 3; i++) {
            api().infer(model, "staging", "s1-" + i, null).then().statusCode(200);
        }
        // nothing to shadow in production yet: the first version goes in by the strategy
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> api().deployment(model, "production").then().body("live_versions", contains(v1)));

        api().promoted(model, "staging", v2, "replace");
        for (int i = 0; i < 3; i++) {
            api().infer(model, "staging", "s2-" + i, null).then().statusCode(200);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> api().deployment(model, "production").then()
                .body("status", equalTo("shadow")).body("candidate.version", equalTo(v2)));
        for (int i = 0; i < 4; i++) { // every answer is the champion's; the shadow scores a copy
            api().infer(model, "production", "p2-" + i, null).then().statusCode(200).header("X-Flywheel-Version", String.valueOf(v1));
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> api().deployment(model, "production").then()
                .body("status", equalTo("serving")).body("live_versions", contains(v2)));
        api().history(model, "production").then()
                .body("items.action", contains("promoted", "shadow-started", "promoted"))
                .body("items.actor", contains("policy", "policy", "policy"))
                .body("items[0].reason", containsString("the shadow of version " + v2 + " scored"))
                .body("items[0].evidence.request.judge.error_rate.status", equalTo("passed"));

        // a shadow that fails its judge is removed, and the champion never stopped answering
        putPolicy(model, Map.of("auto_promote", true, "soak", Map.of("min_time", "PT1S", "min_samples", 3),
                "shadow", Map.of("min_hold_seconds", 0, "min_samples", 3), "strategy", "replace",
                "judge", Map.of("latency_p99", Map.of("budget_ms", 0.0001, "min_requests", 3))), null).then().statusCode(200);
        api().promoted(model, "staging", v3, "replace");
        for (int i = 0; i < 3; i++) {
            api().infer(model, "staging", "s3-" + i, null).then().statusCode(200);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> api().deployment(model, "production").then()
                .body("status", equalTo("shadow")).body("candidate.version", equalTo(v3)));
        for (int i = 0; i < 4; i++) {
            api().infer(model, "production", "p3-" + i, null).then().statusCode(200).header("X-Flywheel-Version", String.valueOf(v2));
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> api().deployment(model, "production").then()
                .body("status", equalTo("serving")).body("live_versions", contains(v2)));
        api().history(model, "production").then()
                .body("items[0].action", equalTo("rolled-back"))
                .body("items[0].actor", equalTo("policy"))
                .body("items[0].version", equalTo(v3))
                .body("items[0].evidence.trigger", equalTo("shadow-judge"))
                .body("items[0].evidence.judge.latency_p99.status", equalTo("failed"));
    }
}
