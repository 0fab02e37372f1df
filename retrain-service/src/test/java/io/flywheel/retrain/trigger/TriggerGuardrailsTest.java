package io.flywheel.retrain.trigger;

import io.flywheel.internalauth.InternalTokenForTests;
import io.flywheel.internalauth.TestCallers;
import io.flywheel.events.QualityDegraded;
import io.flywheel.retrain.storage.ObjectStore;
import io.flywheel.retrain.support.LabelledSegments;
import io.flywheel.retrain.support.Policies;
import io.flywheel.retrain.support.RegistryFixture;
import io.flywheel.retrain.support.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.flywheel.retrain.support.CloudEventRecords.cloudEvent;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/** The policy's guardrails over the real database, Kafka and S3: refused triggers are recorded with their reason. */
@QuarkusTest
class TriggerGuardrailsTest {

    @Inject
    ObjectStore store;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mp.messaging.incoming.monitor-events.topic")
    String monitorTopic;

    private static String model(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aSecondTriggerWithinTheCooldownIsRefusedWithItsReasonAndAnIdempotentRetryIsNot() {
        String model = model("cooldown");
        RegistryFixture.createModel(model);
        LabelledSegments.write(store, model, Rows.churn(200, 21), Instant.now().minus(Duration.ofMinutes(5)));
        Policies.put(model, Policies.churn("\"cooldown\": \"PT6H\""));

        String jobId = given().contentType("application/json").header("Idempotency-Key", "first-try")
                .body(Map.of("model", model, "reason", "by hand"))
                .post("/api/v1/retrain/jobs").then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.containsString("/api/v1/retrain/jobs/"))
                .body("state", equalTo("pending"))
                .body("trigger.kind", equalTo("manual"))
                .body("trigger.actor", equalTo(InternalTokenForTests.PRINCIPAL))
                .extract().path("id");
        // the same request again (a client retry): the same job, not a refusal
        given().contentType("application/json").header("Idempotency-Key", "first-try").body(Map.of("model", model))
                .post("/api/v1/retrain/jobs").then().statusCode(200).header("Idempotent-Replayed", "true").body("id", equalTo(jobId));

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                given().get("/api/v1/retrain/jobs/" + jobId).then().body("state", equalTo("promotion-requested")));

        given().contentType("application/json").header("Authorization", TestCallers.bearer("alice")).body(Map.of("model", model))
                .post("/api/v1/retrain/jobs").then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:trigger-refused"))
                .body("rule", equalTo("cooldown"))
                .body("trigger_seq", notNullValue())
                .body("detail", startsWith("cooldown: the last job " + jobId + " was at "));
        given().queryParam("model", model).get("/api/v1/retrain/triggers").then().statusCode(200)
                .body("items", hasSize(2))
                .body("items[0].decision", equalTo("refused"))
                .body("items[0].rule", equalTo("cooldown"))
                .body("items[0].actor", equalTo("alice"))
                .body("items[1].decision", equalTo("accepted"))
                .body("items[1].job_id", equalTo(jobId));

        // force skips the cooldown (never concurrency or budget)
        given().contentType("application/json").body(Map.of("model", model, "force", true))
                .post("/api/v1/retrain/jobs").then().statusCode(201).body("state", equalTo("pending"));
    }

    @Test
    void withoutAPolicyATriggerIsRefused() {
        String model = model("nopolicy");
        given().contentType("application/json").body(Map.of("model", model)).post("/api/v1/retrain/jobs")
                .then().statusCode(409)
                .body("rule", equalTo("no-policy"))
                .body("detail", equalTo("no retrain policy for model '" + model + "'"));
    }

    @Test
    void tooFewNewLabelledRowsRefuseAMonitorEventAndEnoughStartAJob() {
        String model = model("minrows");
        RegistryFixture.createModel(model);
        LabelledSegments.write(store, model, Rows.churn(60, 22), Instant.now().minus(Duration.ofMinutes(5)));
        Policies.put(model, Policies.churn("\"min_new_rows\": 100, \"cooldown\": \"PT0S\""));
        String degraded = """
                {"model":"%s","version":1,"kind":"quality","metric":"roc_auc","value":0.61,"threshold":0.7,
                 "window_start":"2026-11-26T0%d:00:00Z","window_end":"2026-11-26T0%d:00:00Z","samples":500,
                 "detected_at":"2026-11-26T10:00:00Z","evidence":{}}""";

        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            kafka.produceStrings().fromRecords(List.of(cloudEvent(monitorTopic, UUID.randomUUID().toString(), model, QualityDegraded.TYPE,
                    degraded.formatted(model, 1, 2)))).awaitCompletion();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    given().queryParam("model", model).get("/api/v1/retrain/triggers").then()
                            .body("items", hasSize(1))
                            .body("items[0].kind", equalTo("quality"))
                            .body("items[0].rule", equalTo("min-new-rows"))
                            .body("items[0].reason", matchesPattern("too few new labelled rows: 60 since .*, the policy needs 100")));

            LabelledSegments.write(store, model, Rows.churn(60, 23), Instant.now().minus(Duration.ofMinutes(4)));
            kafka.produceStrings().fromRecords(List.of(cloudEvent(monitorTopic, UUID.randomUUID().toString(), model, QualityDegraded.TYPE,
                    degraded.formatted(model, 2, 3)))).awaitCompletion();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    given().queryParam("model", model).get("/api/v1/retrain/triggers").then()
                            .body("items", hasSize(2))
                            .body("items[0].decision", equalTo("accepted"))
                            .body("items[0].job_id", notNullValue()));
            String jobId = given().queryParam("model", model).get("/api/v1/retrain/triggers").then().extract().path("items[0].job_id");
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    given().get("/api/v1/retrain/jobs/" + jobId).then()
                            .body("state", equalTo("promotion-requested"))
                            .body("trigger.kind", equalTo("quality"))
                            .body("data.rows", is(120)));
        }
    }
}
